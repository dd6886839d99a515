#!/usr/bin/env node
// Regenerates site_templates/data/countries.topo.json from Natural Earth 1:50m
// (npm world-atlas 2.0.2, countries-50m.json) using mapshaper. The output is TopoJSON: each
// border is stored once and its points as small integer steps, half the bytes of GeoJSON.
// Deterministic: same inputs (package-lock.json) -> byte-identical output.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mapshaper = require('mapshaper');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const SRC = path.join(HERE, 'node_modules', 'world-atlas', 'countries-50m.json');
const OUT_DIR = path.join(REPO, 'site_templates', 'data');
const ATTRIB = path.join(OUT_DIR, 'boundaries.txt');

// Tunables --------------------------------------------------------------
// Europe box tested against each country's representative (interior) point.
const BOX = { west: -25, south: 34, east: 45, north: 72 };
// Numeric ids kept regardless of where they lie (Mexico: a sample record is there).
const ALWAYS_KEEP = new Set(['484']);
// Everything except ALWAYS_KEEP features is clipped to this longitude band, which
// drops far overseas parts (French Guiana, Caribbean NL) and cuts Russia at 45E.
const LON_MIN = -32;
const LON_MAX = 45;
// Two sets of the same countries (mapshaper -simplify interval, spherical, metres):
// - countries.topo.json, for the full map and any zoomed-in view: 3.5 km, under a pixel up to
//   zoom 5 and faithful enough where markers sit near coasts;
// - countries-overview.topo.json, for the home page's overview of Europe (zoom 2 to 4), where
//   9 km is about a pixel and the file is under half the size.
const OUTPUTS = [
  { file: 'countries.topo.json', interval: '3500m', maxBytes: 100000 },
  { file: 'countries-overview.topo.json', interval: '9000m', maxBytes: 50000 },
];
const DECIMALS = 2;
// Grid of the TopoJSON coordinates: finer than the 2-decimal rounding over the whole extent
// (Mexico to 45E is about 162 degrees), so that no rounded point moves or merges.
const QUANTIZATION = 20000;
const REQUIRED = ['MT', 'LU', 'LI', 'AD', 'SM', 'MC', 'NO', 'GR', 'TR', 'MX', 'FR', 'DE'];

// world-atlas carries Natural Earth's short (partly abbreviated or outdated) names.
const NAME_FIXES = {
  'Bosnia and Herz.': 'Bosnia and Herzegovina',
  'Faeroe Is.': 'Faroe Islands',
  'Macedonia': 'North Macedonia',
  'Turkey': 'Türkiye',
};

// ISO 3166-1 numeric -> alpha-2 (static table, generated once from pycountry 26.2.16).
const NUM_TO_A2 = {
  "004":"AF","008":"AL","010":"AQ","012":"DZ","016":"AS","020":"AD","024":"AO","028":"AG","031":"AZ","032":"AR",
  "036":"AU","040":"AT","044":"BS","048":"BH","050":"BD","051":"AM","052":"BB","056":"BE","060":"BM","064":"BT",
  "068":"BO","070":"BA","072":"BW","074":"BV","076":"BR","084":"BZ","086":"IO","090":"SB","092":"VG","096":"BN",
  "100":"BG","104":"MM","108":"BI","112":"BY","116":"KH","120":"CM","124":"CA","132":"CV","136":"KY","140":"CF",
  "144":"LK","148":"TD","152":"CL","156":"CN","158":"TW","162":"CX","166":"CC","170":"CO","174":"KM","175":"YT",
  "178":"CG","180":"CD","184":"CK","188":"CR","191":"HR","192":"CU","196":"CY","203":"CZ","204":"BJ","208":"DK",
  "212":"DM","214":"DO","218":"EC","222":"SV","226":"GQ","231":"ET","232":"ER","233":"EE","234":"FO","238":"FK",
  "239":"GS","242":"FJ","246":"FI","248":"AX","250":"FR","254":"GF","258":"PF","260":"TF","262":"DJ","266":"GA",
  "268":"GE","270":"GM","275":"PS","276":"DE","288":"GH","292":"GI","296":"KI","300":"GR","304":"GL","308":"GD",
  "312":"GP","316":"GU","320":"GT","324":"GN","328":"GY","332":"HT","334":"HM","336":"VA","340":"HN","344":"HK",
  "348":"HU","352":"IS","356":"IN","360":"ID","364":"IR","368":"IQ","372":"IE","376":"IL","380":"IT","384":"CI",
  "388":"JM","392":"JP","398":"KZ","400":"JO","404":"KE","408":"KP","410":"KR","414":"KW","417":"KG","418":"LA",
  "422":"LB","426":"LS","428":"LV","430":"LR","434":"LY","438":"LI","440":"LT","442":"LU","446":"MO","450":"MG",
  "454":"MW","458":"MY","462":"MV","466":"ML","470":"MT","474":"MQ","478":"MR","480":"MU","484":"MX","492":"MC",
  "496":"MN","498":"MD","499":"ME","500":"MS","504":"MA","508":"MZ","512":"OM","516":"NA","520":"NR","524":"NP",
  "528":"NL","531":"CW","533":"AW","534":"SX","535":"BQ","540":"NC","548":"VU","554":"NZ","558":"NI","562":"NE",
  "566":"NG","570":"NU","574":"NF","578":"NO","580":"MP","581":"UM","583":"FM","584":"MH","585":"PW","586":"PK",
  "591":"PA","598":"PG","600":"PY","604":"PE","608":"PH","612":"PN","616":"PL","620":"PT","624":"GW","626":"TL",
  "630":"PR","634":"QA","638":"RE","642":"RO","643":"RU","646":"RW","652":"BL","654":"SH","659":"KN","660":"AI",
  "662":"LC","663":"MF","666":"PM","670":"VC","674":"SM","678":"ST","682":"SA","686":"SN","688":"RS","690":"SC",
  "694":"SL","702":"SG","703":"SK","704":"VN","705":"SI","706":"SO","710":"ZA","716":"ZW","724":"ES","728":"SS",
  "729":"SD","732":"EH","740":"SR","744":"SJ","748":"SZ","752":"SE","756":"CH","760":"SY","762":"TJ","764":"TH",
  "768":"TG","772":"TK","776":"TO","780":"TT","784":"AE","788":"TN","792":"TR","795":"TM","796":"TC","798":"TV",
  "800":"UG","804":"UA","807":"MK","818":"EG","826":"GB","831":"GG","832":"JE","833":"IM","834":"TZ","840":"US",
  "850":"VI","854":"BF","858":"UY","860":"UZ","862":"VE","876":"WF","882":"WS","887":"YE","894":"ZM",
};

// 1. mapshaper: select countries, clip, simplify (keep-shapes), export GeoJSON ----
// `this.innerX/innerY` is mapshaper's interior (label) point of the feature.
const inBox =
  `this.innerX >= ${BOX.west} && this.innerX <= ${BOX.east} && ` +
  `this.innerY >= ${BOX.south} && this.innerY <= ${BOX.north}`;
const keepList = JSON.stringify([...ALWAYS_KEEP]);
const topo = JSON.parse(fs.readFileSync(SRC, 'utf8'));

async function ms(commands, name, content) {
  // mapshaper mutates its inputs: hand each run a fresh copy.
  const out = await mapshaper.applyCommands(commands, { [name]: structuredClone(content) });
  return JSON.parse(out['out.json'].toString());
}

// Stage A: pick the features (full resolution). FID holds the numeric id.
const select = (expr) => ms([
  '-i', 'in.json', '-target', 'countries', '-rename-fields', 'num=FID',
  '-filter', expr, '-o', 'out.json', 'format=geojson',
], 'in.json', topo);
// Europe (+ Kosovo, which has no numeric id) and the always-kept extras (Mexico).
const europe = await select(
  `(!!num && ${keepList}.indexOf(num) < 0 && ${inBox}) || (!num && name == 'Kosovo')`);
const extra = await select(`!!num && ${keepList}.indexOf(num) > -1`);

// Stage B: world-atlas rings that cross the antimeridian (Russia) jump from
// +180 to -180; make longitudes continuous so a planar clip works, then clip.
function unwrapRing(ring) {
  let offset = 0;
  return ring.map(([x, y], i) => {
    if (i > 0) {
      const prev = ring[i - 1][0];
      if (x - prev > 180) offset -= 360;
      else if (prev - x > 180) offset += 360;
    }
    return [x + offset, y];
  });
}
for (const f of europe.features) {
  const g = f.geometry;
  if (g.type === 'Polygon') g.coordinates = g.coordinates.map(unwrapRing);
  else if (g.type === 'MultiPolygon') g.coordinates = g.coordinates.map((p) => p.map(unwrapRing));
}
const clipped = await ms([
  '-i', 'in.json', '-clip', `bbox=${LON_MIN},-90,${LON_MAX},90`, 'remove-slivers',
  '-o', 'out.json', 'format=geojson',
], 'in.json', europe);

// Stages C to 4, for one level of detail.
async function encode(interval, maxBytes) {
  // Stage C: simplify everything together (shared borders stay shared) and round.
  const merged = { type: 'FeatureCollection', features: [...clipped.features, ...extra.features] };
  const simplified = await ms([
    '-i', 'in.json',
    '-simplify', `interval=${interval}`, 'keep-shapes',
    '-o', 'out.json', 'format=geojson', 'rfc7946', `precision=${1 / 10 ** DECIMALS}`,
  ], 'in.json', merged);
  const gjFeatures = simplified.features;
  if (process.env.DEBUG) console.log(gjFeatures.map((f) => JSON.stringify(f.properties)).join('\n'));

  // 2. post-process: ids, clip check, rounding, ring checks ---------------------
  const F = 10 ** DECIMALS;
  const rnd = (v) => Math.round(v * F) / F + 0; // +0 turns -0 into 0

  function cleanRing(ring) {
    const out = [];
    for (const [x, y] of ring) {
      const p = [rnd(x), rnd(y)];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    const a = out[0], b = out[out.length - 1];
    if (out.length && (a[0] !== b[0] || a[1] !== b[1])) out.push([a[0], a[1]]);
    return out.length >= 4 ? out : null;
  }

  function inLonBand(poly) {
    let min = Infinity, max = -Infinity;
    for (const [x] of poly[0]) { if (x < min) min = x; if (x > max) max = x; }
    return min >= LON_MIN && max <= LON_MAX;
  }

  const features = [];
  for (const f of gjFeatures) {
    const num = f.properties.num || null;
    const name = f.properties.name;
    const iso2 = num ? NUM_TO_A2[num] : (name === 'Kosovo' ? 'XK' : null);
    if (!iso2) throw new Error(`no alpha-2 for feature ${num} ${name}`);
    const g = f.geometry;
    if (!g) throw new Error(`null geometry for ${iso2}`);
    let polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null;
    if (!polys) throw new Error(`unexpected geometry ${g.type} for ${iso2}`);
    if (!ALWAYS_KEEP.has(num) && !polys.every(inLonBand)) throw new Error(`clip failed for ${iso2}`);
    polys = polys
      .map((poly) => {
        const outer = cleanRing(poly[0]);
        if (!outer) { console.warn(`note: dropped a collapsed part of ${iso2}`); return null; }
        return [outer, ...poly.slice(1).map(cleanRing).filter(Boolean)];
      })
      .filter(Boolean);
    if (!polys.length) throw new Error(`no polygon left for ${iso2}`);
    features.push({
      type: 'Feature',
      properties: { iso2, name: num === null ? 'Kosovo' : (NAME_FIXES[name] || name) },
      geometry: polys.length === 1
        ? { type: 'Polygon', coordinates: polys[0] }
        : { type: 'MultiPolygon', coordinates: polys },
    });
  }
  features.sort((a, b) => (a.properties.iso2 < b.properties.iso2 ? -1 : a.properties.iso2 > b.properties.iso2 ? 1 : 0));
  const codes = features.map((f) => f.properties.iso2);
  if (new Set(codes).size !== codes.length) throw new Error('duplicate iso2 codes');

  // 3. verify ----------------------------------------------------------------
  for (const c of REQUIRED) if (!codes.includes(c)) throw new Error(`missing required country ${c}`);
  for (const f of features) {
    const g = f.geometry;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const poly of polys) for (const ring of poly) {
      const a = ring[0], b = ring[ring.length - 1];
      if (ring.length < 4 || a[0] !== b[0] || a[1] !== b[1]) throw new Error(`bad ring in ${f.properties.iso2}`);
    }
    if (Object.keys(f.properties).join() !== 'iso2,name') throw new Error('bad properties');
  }

  // 4. TopoJSON: shared borders become shared arcs; coordinates quantized and delta-encoded ----
  const topology = await ms([
    '-i', 'in.json', '-rename-layers', 'countries',
    '-o', 'out.json', 'format=topojson', `quantization=${QUANTIZATION}`,
  ], 'in.json', { type: 'FeatureCollection', features });
  const text = JSON.stringify(topology) + '\n';

  // The same decoding as site_templates/assets/map.js, to prove every ring survives.
  function decode(topo) {
    const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
    const arcs = topo.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
    });
    const ring = (ids) => ids.flatMap((i, k) => {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      return k ? arc.slice(1) : arc;
    });
    return topo.objects.countries.geometries.map((g) => ({
      iso2: g.properties.iso2,
      polys: (g.type === 'Polygon' ? [g.arcs] : g.arcs).map((p) => p.map(ring)),
    }));
  }
  const decoded = decode(topology);
  if (decoded.map((c) => c.iso2).join() !== codes.join()) throw new Error('countries changed in the topology');
  for (const c of decoded) for (const poly of c.polys) for (const r of poly) {
    const a = r[0], b = r[r.length - 1];
    const near = (u, v) => Math.abs(u - v) < 1e-6;
    if (r.length < 4 || !near(a[0], b[0]) || !near(a[1], b[1])) throw new Error(`bad ring in ${c.iso2} after encoding`);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) throw new Error(`${interval}: ${bytes} bytes > ${maxBytes}`);
  return { text, bytes, codes };
}

// 5. write -------------------------------------------------------------------
fs.mkdirSync(OUT_DIR, { recursive: true });
const made = [];
for (const { file, interval, maxBytes } of OUTPUTS) {
  const { text, bytes, codes } = await encode(interval, maxBytes);
  if (made.length && codes.join() !== made[0].codes.join()) throw new Error('the sets differ in countries');
  fs.writeFileSync(path.join(OUT_DIR, file), text);
  made.push({ file, interval, bytes, codes });
}
fs.writeFileSync(ATTRIB,
  'Boundaries: Natural Earth (public domain), 1:50m, via world-atlas 2.0.2, simplified.\n' +
  `Processed with mapshaper ${require('mapshaper/package.json').version}: ` +
  `${DECIMALS} decimals, TopoJSON quantization=${QUANTIZATION}, simplify keep-shapes with\n` +
  made.map((m) => `  ${m.file}: interval=${m.interval}\n`).join('') +
  'Regenerate (from the repository root): bash scripts/boundaries/make_boundaries.sh\n');

console.log(`features: ${made[0].codes.length}`);
console.log(`iso2: ${made[0].codes.join(' ')}`);
for (const m of made) console.log(`wrote site_templates/data/${m.file}: ${m.bytes} bytes (${m.interval})`);
