/* Draws the directory's data on the folium map: countries shaded by their number of labelled
   clusters (each shape with the class country-<iso2>), cluster markers grouped when zoomed out,
   a legend, and the boundary attribution. Clicking or pressing Enter on a country opens its
   page in the whole window, also when the map is framed in the home page.

   The data block (generator/site/mapview.py) gives every number and every word the map shows
   (data.words, from generator/core/words.py, in the page's language): the view's bounds, its
   frame and zoom limits, the shade classes, the files; the page's language (<html lang>)
   chooses how a count is written and which plural form it takes. The shapes and markers are
   files beside the page. The markers come as tiles (generator/site/maptiles.py): an index of
   every tile with its count and its group's name, and a small file of markers for each tile
   that is not split. A view fetches the files of the tiles it shows while they hold few enough
   markers, and markercluster groups them; a view that would hold more draws the index's tiles
   as groups instead, so that what a visit costs does not grow with the register. On its own
   page (/map/, one of the site's pages) the map loads the detailed shapes and the markers of
   its first view at once. Framed in the home page (map/frame.html) it is an overview for
   choosing a country: it loads the light shapes only, and the detailed shapes, the index and
   the markers when the visitor zooms in, so that the home page stays light.

   Colours are map.css's, for the light and the dark scheme: the map follows the site's scheme
   (Material's data-md-color-scheme on the page's body, or on the framing page's), also when a
   visitor switches it.

   The parts, each a function below: decoding the shapes (topologyFeatures) and the markers
   (tileMarkers, markerIndex), loading files (fetchJSON, loadScript), the scheme, the frame,
   the country layer, the markers (clusterMarker, clusterLayer and the names of its groups,
   indexGroups, and markerView, which chooses between them for a view), the legend, the names
   of Leaflet's own buttons (nameLeafletButtons), and cdDirectoryMap, which puts them together.
   Only Leaflet's and markercluster's public API is used. */
(function () {
"use strict";

/* Framed in the home page, which has its own footer, the map leaves out the page's footer
   (map.css). Set while the head loads, before the body shows, so that the map never moves. */
if (window.top !== window.self) document.documentElement.classList.add("cd-framed");

/* GeoJSON features from one object of a quantized TopoJSON topology (Polygon and MultiPolygon
   shapes, as scripts/boundaries/make_boundaries.mjs writes them; it checks the same decoding).
   Arcs hold integer steps; an index ~i reads arc i backwards; the arcs of a ring meet at their
   ends, so each arc after the first skips its first point. */
function topologyFeatures(topology, name) {
  var scale = topology.transform.scale;
  var move = topology.transform.translate;
  var arcs = topology.arcs.map(function (arc) {
    var x = 0;
    var y = 0;
    return arc.map(function (step) {
      x += step[0];
      y += step[1];
      return [x * scale[0] + move[0], y * scale[1] + move[1]];
    });
  });
  function ring(indexes) {
    var points = [];
    indexes.forEach(function (index, k) {
      var arc = index < 0 ? arcs[~index].slice().reverse() : arcs[index];
      points = points.concat(k ? arc.slice(1) : arc);
    });
    return points;
  }
  function polygon(rings) {
    return rings.map(ring);
  }
  return {
    type: "FeatureCollection",
    features: topology.objects[name].geometries.map(function (shape) {
      return {
        type: "Feature",
        properties: shape.properties,
        geometry: {
          type: shape.type,
          coordinates: shape.type === "Polygon" ? polygon(shape.arcs) : shape.arcs.map(polygon)
        }
      };
    })
  };
}

/* A JSON file beside the page. */
function fetchJSON(name) {
  return fetch(new URL(name, document.baseURI).href).then(function (response) {
    if (!response.ok) throw new Error(name + ": HTTP " + response.status);
    return response.json();
  });
}

/* A script, added to the page once it is needed. */
function loadScript(url) {
  return new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = url;
    script.onload = resolve;
    script.onerror = function () { reject(new Error(url + " did not load")); };
    document.head.appendChild(script);
  });
}

/* A marker is a touch target of 24 by 24 CSS px (WCAG 2.2, 2.5.8; groups are larger);
   map.css draws the cluster's dot inside it. */
var MARKER_SIZE = 24;
/* Below this width (a phone, a narrow frame) the legend starts folded, so that it covers no
   country; a press on "Legend" opens it. */
var FOLD_BELOW = 600;

var language = document.documentElement.lang || undefined;
var numbers = new Intl.NumberFormat(language);
var digits = new Intl.NumberFormat(language, { useGrouping: false });
var plurals = new Intl.PluralRules(language);

/* A message with its {fields} filled in one pass, as Python's str.format: a value (a record's
   city) is never read as a pattern. */
function fill(pattern, fields) {
  return pattern.replace(/\{(\w+)\}/g, function (whole, key) {
    return Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : whole;
  });
}

/* A counted phrase: words.py hands its form for each plural category of the page's language
   (i18n.plural_forms); "other" stands in for a category it does not name. */
function counted(forms, n, fields) {
  var form = forms[plurals.select(n)] || forms.other;
  return fill(form, Object.assign({ n: numbers.format(n) }, fields));
}

/* The id map.js makes from a name where a tile of markers gives "" (maptiles.py's derived_id
   made the same from the same ASCII name): lowercased, each run of other characters than a-z
   and 0-9 a hyphen, none at the ends. */
function derivedId(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/* The markers of one tile file (map/markers/<z>-<x>-<y>.json), as named fields: the file
   holds one list a field, coordinates in 1/scale of a degree, and each marker's city and
   country as a place listed once. */
function tileMarkers(file, scale, levelNames) {
  return file.name.map(function (name, i) {
    var place = file.places[file.place[i]];
    return {
      lat: file.lat[i] / scale,
      lon: file.lon[i] / scale,
      id: file.id[i] || derivedId(name),
      name: name,
      level: file.level[i],
      levelName: levelNames[file.level[i]],
      city: place[0],
      country: place[1]
    };
  });
}

/* The markers' index (map/markers/index.json): every tile of a quadtree of Web Mercator
   tiles that holds markers, with its number of clusters, the box and centre of its markers,
   the place its group is named by ([city, country code], the city "" where the place is the
   country), and whether its markers are a file of their own (a leaf).
   Each tile knows its quarters, so that a view can walk down from the world (`root`). */
function markerIndex(file) {
  var columns = file.tiles;
  var byKey = {};
  var tiles = columns.z.map(function (zoom, i) {
    var at = function (name) { return columns[name][i] / file.scale; };
    var tile = {
      key: zoom + "-" + columns.x[i] + "-" + columns.y[i],
      zoom: zoom,
      x: columns.x[i],
      y: columns.y[i],
      count: columns.count[i],
      centre: L.latLng(at("lat"), at("lon")),
      box: L.latLngBounds([at("south"), at("west")], [at("north"), at("east")]),
      place: file.places[columns.place[i]],
      inCountry: columns["in"][i] === 1,
      leaf: columns.leaf[i] === 1,
      quarters: []
    };
    byKey[tile.key] = tile;
    return tile;
  });
  tiles.forEach(function (tile) {
    var parent = byKey[(tile.zoom - 1) + "-" + (tile.x >> 1) + "-" + (tile.y >> 1)];
    if (parent) parent.quarters.push(tile);
  });
  return {
    root: byKey["0-0-0"] || null,
    leaves: tiles.filter(function (tile) { return tile.leaf; }),
    scale: file.scale
  };
}

/* The site's colour scheme, on the map's element as data-cd-scheme="light" or "dark", kept
   up to date: Material's attribute on the body of the page that shows the map (this one, or
   the home page that frames it), else the system's preference. */
function followScheme(element, framed) {
  var host = null;
  try {
    host = framed ? window.parent.document.body : document.body;
  } catch {
    host = null; /* framed by another site: its page cannot be read */
  }
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function apply() {
    var scheme = host && host.getAttribute("data-md-color-scheme");
    var dark = scheme ? scheme === "slate" : Boolean(media && media.matches);
    element.setAttribute("data-cd-scheme", dark ? "dark" : "light");
  }
  apply();
  if (host) {
    new MutationObserver(apply).observe(host, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme"]
    });
  }
  if (media && media.addEventListener) media.addEventListener("change", apply);
}

/* Beyond the frame, where the boundary files draw nothing, the map is shaded: a shape cut at
   the frame's edge ends where the shading begins. Drawn under the countries, never pressed. */
function frameShade(map, frame) {
  var pane = map.createPane("cdFrame");
  pane.style.zIndex = 350;
  pane.style.pointerEvents = "none";
  var south = frame[0][0], west = frame[0][1], north = frame[1][0], east = frame[1][1];
  var world = [[-85, -180], [-85, 180], [85, 180], [85, -180]];
  var inside = [[south, west], [north, west], [north, east], [south, east]];
  return L.polygon([world, inside], {
    pane: "cdFrame",
    className: "cd-frame-shade",
    interactive: false,
    weight: 1,
    fillOpacity: 1
  });
}

/* Below this size on the screen (px), a labelled country's shape is too small to see or press
   (Malta, Luxembourg in the overview): a round mark in its shade stands on it. */
var MARK_BELOW = 12;

/* Countries shaded by their count; a labelled one is a link (click, or focus and Enter). The
   shapes come in the order of the countries' names (the data block's order), so that the
   keyboard reaches them alphabetically; a country outside the frame is not drawn. A country
   too small to see gets a mark that the pointer can press; the keyboard stop stays its
   shape's, in its place in the order. fitMarks(map) shows the marks the zoom needs. */
function countryLayer(topology, data, open) {
  var marks = L.layerGroup();
  var marked = [];
  var order = {};
  Object.keys(data.countries).forEach(function (code, i) { order[code] = i; });
  var shapes = topologyFeatures(topology, "countries");
  shapes.features.sort(function (a, b) {
    return order[a.properties.iso2] - order[b.properties.iso2];
  });
  var layer = L.geoJSON(shapes, {
    filter: function (feature) {
      var country = data.countries[feature.properties.iso2];
      return Boolean(country) && !country.outside;
    },
    style: function (feature) {
      var country = data.countries[feature.properties.iso2];
      var labelled = country.count > 0;
      /* The colours are map.css's, by shade class and scheme. */
      return {
        className: country["class"] + " cd-country" +
          (labelled ? " cd-country--labelled cd-shade-" + country.shade : " cd-shade-none"),
        fillOpacity: 1,
        weight: labelled ? 0.8 : 0.5,
        interactive: labelled
      };
    },
    onEachFeature: function (feature, shape) {
      var country = data.countries[feature.properties.iso2];
      if (!country.count) return;
      var text = counted(data.words.country, country.count, { name: country.name });
      var follow = function () { open(country.url); };
      var mark = L.circleMarker(shape.getBounds().getCenter(), {
        radius: 6,
        className: "cd-country-mark cd-" + country["class"].replace("country-", "country-mark-") +
          " cd-shade-" + country.shade,
        weight: 1.5,
        fillOpacity: 1
      });
      mark.bindTooltip(text, { sticky: true, direction: "top" }).on("click", follow);
      marked.push({ shape: shape, mark: mark });
      shape.bindTooltip(text, { sticky: true, direction: "top" });
      shape.on("click", follow);
      shape.on("add", function () { linkShape(shape, text, follow, mark); });
    }
  });
  var group = L.featureGroup([layer, marks]);
  group.fitMarks = function (map) {
    marked.forEach(function (item) {
      var bounds = item.shape.getBounds();
      var size = map.latLngToContainerPoint(bounds.getNorthEast())
        .subtract(map.latLngToContainerPoint(bounds.getSouthWest()));
      var small = Math.max(Math.abs(size.x), Math.abs(size.y)) < MARK_BELOW;
      if (small !== marks.hasLayer(item.mark)) {
        if (small) marks.addLayer(item.mark);
        else marks.removeLayer(item.mark);
      }
    });
  };
  return group;
}

/* The shape's SVG path made a link for keyboards and screen readers; its mark, if shown,
   shows the focus. */
function linkShape(layer, text, follow, mark) {
  var path = layer.getElement();
  if (!path) return;
  var container = path.closest(".leaflet-container");
  path.setAttribute("tabindex", "0");
  path.setAttribute("role", "link");
  path.setAttribute("aria-label", text);
  /* A click must not focus the shape: the browser would scroll the map's panes to show the
     focused shape, and the press would end on whatever moved under the pointer. */
  path.addEventListener("mousedown", function (event) { event.preventDefault(); });
  function focusMark(focused) {
    var element = mark && mark.getElement();
    if (element) element.classList.toggle("cd-country-mark--focus", focused);
  }
  path.addEventListener("focus", function () {
    if (container) {
      container.scrollTop = 0;
      container.scrollLeft = 0;
    }
    layer.openTooltip(layer.getCenter());
    focusMark(true);
  });
  path.addEventListener("blur", function () {
    layer.closeTooltip();
    focusMark(false);
  });
  path.addEventListener("keydown", function (event) {
    if (event.key === "Enter") follow();
  });
}

/* A popup for one marker, built from text nodes: a record's name is never read as HTML. */
function markerPopup(marker, open, words) {
  var box = document.createElement("div");
  var name = document.createElement("strong");
  name.textContent = marker.name;
  var label = document.createElement("div");
  label.className = "cd-popup-label";
  label.textContent = marker.levelName;
  var link = document.createElement("a");
  link.href = "../clusters/" + marker.id + "/";
  link.textContent = words.open;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    open(link.getAttribute("href"));
  });
  box.appendChild(name);
  box.appendChild(label);
  box.appendChild(link);
  return box;
}

/* An icon whose element carries a name for screen readers and a tooltip for the pointer (as
   an attribute: a record's text is never read as HTML). */
function namedIcon(options, name) {
  var icon = L.divIcon(options);
  icon.createIcon = function (old) {
    var element = L.DivIcon.prototype.createIcon.call(this, old);
    element.setAttribute("aria-label", name);
    element.setAttribute("title", name);
    return element;
  };
  return icon;
}

/* What a group of markers holds, said where it is: "5 clusters near Lyon" (the most common
   city among them, if one holds two or more), "3 clusters in Malta" (all in one country), or
   near the city of the marker closest to the group's centre. */
function groupName(group, data) {
  var markers = group.getAllChildMarkers().map(function (layer) { return layer.options.cd; });
  var n = markers.length;
  var cities = {};
  var countries = {};
  markers.forEach(function (marker) {
    if (marker.city) cities[marker.city] = (cities[marker.city] || 0) + 1;
    countries[marker.country] = true;
  });
  var common = Object.keys(cities).sort(function (a, b) {
    return cities[b] - cities[a] || a.localeCompare(b);
  })[0];
  if (common && cities[common] > 1) return counted(data.words.groupNear, n, { place: common });
  var codes = Object.keys(countries);
  var country = function (code) { return (data.countries[code] || { name: code }).name; };
  if (codes.length === 1) return counted(data.words.groupIn, n, { place: country(codes[0]) });
  var centre = group.getLatLng();
  var nearest = markers.slice().sort(function (a, b) {
    return centre.distanceTo([a.lat, a.lon]) - centre.distanceTo([b.lat, b.lon]);
  })[0];
  return counted(data.words.groupNear, n, { place: nearest.city || country(nearest.country) });
}

/* A group's circle: its number, and its name for screen readers and the pointer. A number
   of four digits or more (the index's groups of a large register) gets a wider circle. */
function groupIcon(n, name) {
  var size = n < 10 ? "small" : n < 100 ? "medium" : n < 1000 ? "large" : "huge";
  var width = n < 1000 ? 30 : 40;
  return namedIcon({
    html: "<span aria-hidden=\"true\">" + digits.format(n) + "</span>",
    className: "cd-marker-group cd-marker-group--" + size,
    iconSize: L.point(width, width)
  }, name);
}

/* One cluster's marker: its dot in its label's colour, its name, its popup. */
function clusterMarker(marker, open, words) {
  var level = marker.levelName.toLowerCase();
  return L.marker([marker.lat, marker.lon], {
    icon: namedIcon({
      className: "cd-marker cd-marker--" + level,
      iconSize: [MARKER_SIZE, MARKER_SIZE]
    }, fill(words.marker, { name: marker.name, level: marker.levelName })),
    cd: marker
  }).bindPopup(function () { return markerPopup(marker, open, words); });
}

/* markercluster's layer for the loaded markers, grouped when zoomed out. `place(layers)`
   adds markers and settles once they are placed. */
function clusterLayer(map, data) {
  var waiting = null;
  var group = L.markerClusterGroup({
    chunkedLoading: true,
    chunkProgress: function (placed, total) {
      if (placed === total && waiting) {
        var done = waiting;
        waiting = null;
        setTimeout(done, 0);
      }
    },
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    iconCreateFunction: function (cluster) {
      return groupIcon(cluster.getChildCount(), groupName(cluster, data));
    }
  });
  group.place = function (layers) {
    return new Promise(function (resolve) {
      /* Off the map markercluster only files them away, and says nothing. */
      if (!layers.length || !map.hasLayer(group)) {
        group.addLayers(layers);
        resolve();
        return;
      }
      waiting = resolve;
      group.addLayers(layers);
    });
  };
  return group;
}

/* The groups of the index's tiles in view, as circles like markercluster's, drawn while the
   view holds too many markers to load: one a tile of about 90 to 180 px on the screen (a
   larger tile that is not split is one group too). Pressing one zooms to its markers. Kept
   by key, so that a circle that stays in view keeps its focus. */
function indexGroups(map, index, data) {
  var layer = L.layerGroup();
  var drawn = {};
  function zoomTo(tile) {
    var zoom = map.getBoundsZoom(tile.box);
    if (zoom <= map.getZoom()) map.setView(tile.centre, map.getZoom() + 1);
    else map.fitBounds(tile.box);
  }
  function circle(tile) {
    var forms = tile.inCountry ? data.words.groupIn : data.words.groupNear;
    /* A country is named as the page names it, in its language; the index gives its code. */
    var place = tile.place[0] || (data.countries[tile.place[1]] || { name: tile.place[1] }).name;
    var marker = L.marker(tile.centre, {
      icon: groupIcon(tile.count, counted(forms, tile.count, { place: place }))
    });
    marker.on("click", function () { zoomTo(tile); });
    marker.on("keypress", function (event) {
      if (event.originalEvent.key !== "Enter") return;
      zoomTo(tile);
      map.getContainer().focus(); /* the circle goes with the zoom: the map keeps the keys */
    });
    return marker;
  }
  layer.draw = function () {
    var bounds = map.getBounds();
    var depth = Math.round(map.getZoom()) + 1;
    var wanted = {};
    (function visit(tile) {
      if (!tile || !tile.box.intersects(bounds)) return;
      if (tile.leaf || tile.zoom >= depth) wanted[tile.key] = tile;
      else tile.quarters.forEach(visit);
    })(index.root);
    Object.keys(drawn).forEach(function (key) {
      if (!wanted[key]) {
        layer.removeLayer(drawn[key]);
        delete drawn[key];
      }
    });
    Object.keys(wanted).forEach(function (key) {
      if (!drawn[key]) drawn[key] = circle(wanted[key]).addTo(layer);
    });
  };
  return layer;
}

/* The markers of the view. While the tiles in view hold at most the data block's
   `markersInView` clusters, their files are fetched (each once; none of a tile out of view) and markercluster
   groups their markers; beyond that the index's tiles are drawn as groups, and no marker file
   is fetched. `show(visible)` draws the current view (or nothing) and returns a promise
   settled once it is drawn; each waits for the one before, and one outdated by a later call
   does nothing. The map's element says what is drawn: data-view="markers", "groups" or
   "none", and data-busy while a view is being drawn. `script()` loads markercluster, once. */
function markerView(map, index, data, open, script) {
  var container = map.getContainer();
  var groups = indexGroups(map, index, data);
  var clusters = null;
  var tiles = {};
  var placed = {};
  var queue = Promise.resolve();
  var latest = 0;
  var pending = 0;

  function leavesInView() {
    var bounds = map.getBounds();
    return index.leaves.filter(function (tile) { return tile.box.intersects(bounds); });
  }
  function loadClusters() {
    return script().then(function () {
      if (clusters) return;
      clusters = clusterLayer(map, data);
      /* Tells tests and scripts when a group has spread its markers out. */
      clusters.on("spiderfied", function () { container.setAttribute("data-spread", "true"); });
      clusters.on("unspiderfied", function () { container.removeAttribute("data-spread"); });
    });
  }
  function loadTile(tile) {
    if (!tiles[tile.key]) {
      tiles[tile.key] = fetchJSON(data.files.markerTiles + tile.key + ".json").then(function (file) {
        return tileMarkers(file, index.scale, data.levels).map(function (marker) {
          return clusterMarker(marker, open, data.words);
        });
      });
    }
    return tiles[tile.key];
  }
  function drawMarkers(leaves) {
    return loadClusters().then(function () {
      return Promise.all(leaves.map(loadTile));
    }).then(function (lists) {
      if (!map.hasLayer(clusters)) map.addLayer(clusters);
      var fresh = [];
      leaves.forEach(function (tile, i) {
        if (!placed[tile.key]) fresh = fresh.concat(lists[i]);
        placed[tile.key] = true;
      });
      return clusters.place(fresh);
    }).then(function () {
      map.removeLayer(groups);
      return "markers";
    });
  }
  function draw(visible) {
    if (!visible || !index.root) {
      if (clusters) map.removeLayer(clusters);
      map.removeLayer(groups);
      return "none";
    }
    var leaves = leavesInView();
    var count = leaves.reduce(function (sum, tile) { return sum + tile.count; }, 0);
    if (count <= data.markersInView || map.getZoom() >= map.getMaxZoom()) {
      return drawMarkers(leaves);
    }
    if (clusters) map.removeLayer(clusters);
    groups.draw();
    groups.addTo(map);
    return "groups";
  }
  function show(visible) {
    var call = ++latest;
    pending += 1;
    container.setAttribute("data-busy", "true");
    var step = function () {
      return call === latest ? draw(visible) : null;
    };
    var drawn = queue.then(step).then(function (view) {
      if (view) container.setAttribute("data-view", view);
    });
    var settle = function () {
      pending -= 1;
      if (!pending) container.removeAttribute("data-busy");
    };
    queue = drawn.then(settle, settle);
    return drawn;
  }
  return { show: show };
}

/* One row of the legend: a key drawn by map.css (its classes) and what it means. */
function legendRow(parent, keyClass, text, keyText) {
  var row = L.DomUtil.create("div", "cd-legend-row", parent);
  var key = L.DomUtil.create("span", keyClass, row);
  key.setAttribute("aria-hidden", "true");
  if (keyText) key.textContent = keyText;
  L.DomUtil.create("span", "", row).textContent = text;
}

/* The legend, a disclosure that folds on narrow maps: the shades of the countries ("none"
   last), then what the markers are (the labels' dots, highest first, and a numbered group),
   and in the overview a hint to zoom in. */
function legendControl(data, options) {
  var words = data.words;
  var legend = L.control({ position: "topright" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("details", "cd-legend");
    box.open = !options.folded;
    L.DomUtil.create("summary", "cd-legend-summary", box).textContent = words.legend;
    L.DomUtil.create("div", "cd-legend-title", box).textContent = words.shades;
    data.legend.forEach(function (item) {
      legendRow(box, "cd-legend-swatch cd-shade-" + item.shade, item.label);
    });
    legendRow(box, "cd-legend-swatch cd-shade-none", words.none);
    if (options.markers) {
      L.DomUtil.create("div", "cd-legend-title", box).textContent = words.dots;
      data.levels.slice().reverse().forEach(function (level) {
        legendRow(box, "cd-legend-dot cd-marker--" + level.toLowerCase(), level);
      });
      legendRow(box, "cd-legend-group", words.group, digits.format(5));
    }
    if (options.hint) {
      legend.hint = L.DomUtil.create("div", "cd-legend-hint", box);
      legend.hint.textContent = words.hint;
    }
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  return legend;
}

/* Leaflet names its zoom buttons and a popup's close button itself, in English: they take the
   page's words instead, where Leaflet puts its own (title and aria-label). */
function nameLeafletButtons(map, words) {
  var container = map.getContainer();
  [["leaflet-control-zoom-in", words.zoomIn], ["leaflet-control-zoom-out", words.zoomOut]]
    .forEach(function (button) {
      var element = container.querySelector("." + button[0]);
      if (!element) return;
      element.title = button[1];
      element.setAttribute("aria-label", button[1]);
    });
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", words.closePopup);
  });
}

/* A notice in the map when a file could not be loaded; the countries list leads to the same pages. */
function failureNotice(words) {
  var notice = L.control({ position: "topright" });
  notice.onAdd = function () {
    var box = L.DomUtil.create("div", "cd-legend cd-map-failed");
    box.setAttribute("role", "status");
    box.textContent = words.failed;
    return box;
  };
  return notice;
}

function cdDirectoryMap(map, dataElement) {
  var data = JSON.parse(dataElement.textContent);
  var framed = window.top !== window.self;
  var container = map.getContainer();
  followScheme(container, framed);

  function open(url) {
    var absolute = new URL(url, document.baseURI).href;
    (framed ? window.top : window).location.href = absolute;
  }
  /* Tells tests and scripts what is drawn: data-ready once the first view is complete,
     data-detail once the detailed shapes and the markers are. */
  function mark(name) {
    container.setAttribute("data-" + name, "true");
  }
  var failed = false;
  function fail(error) {
    if (failed) return;
    failed = true;
    container.setAttribute("data-failed", String(error));
    failureNotice(data.words).addTo(map);
  }

  /* Leaflet focuses the map on a press so that arrow keys pan it. In a frame or a page that is
     not wholly in view, that focus scrolls the page between the press and the release, and the
     click lands elsewhere: the container focuses without scrolling instead (a DOM method, not
     Leaflet's). */
  container.focus = function () {
    HTMLElement.prototype.focus.call(container, { preventScroll: true });
  };
  /* In the home page, the wheel scrolls the page, not the map; buttons, keys, a double click
     and pinching still zoom. */
  if (framed) map.scrollWheelZoom.disable();
  nameLeafletButtons(map, data.words);

  /* Marker grouping needs to know how far the map zooms; folium sets it only on tile layers.
     Fractional zoom lets Europe fill frames of any size; the view is set before the markers
     are grouped, so that they are grouped once, for this view. The bottom edge keeps clear of
     the attribution, so that no country of the view lies under it. */
  map.setMinZoom(data.view.minZoom);
  map.setMaxZoom(data.view.maxZoom);
  map.options.zoomSnap = data.view.zoomSnap;
  map.setMaxBounds(data.view.frame); /* first: set later, it would move the view at once */
  map.fitBounds(data.view.bounds, { animate: false, paddingBottomRight: [0, 18] });
  frameShade(map, data.view.frame).addTo(map);
  var overviewZoom = map.getZoom();

  var countries = null;
  function showCountries(topology) {
    /* The detailed shapes replace the overview's; the new layer goes on before the old one
       leaves, so the map never shows a gap. */
    var layer = countryLayer(topology, data, open).addTo(map);
    layer.fitMarks(map);
    if (countries) map.removeLayer(countries);
    countries = layer;
  }
  map.on("zoomend", function () {
    if (countries) countries.fitMarks(map);
  });

  /* The markers' index, then the markers of the view: `view` is set once the index is in. */
  var view = null;
  var markersIndex = null;
  var clusterScript = null;
  function loadClusterScript() {
    if (!clusterScript) clusterScript = loadScript(data.files.markercluster);
    return clusterScript;
  }
  function loadMarkers() {
    if (!markersIndex) {
      markersIndex = fetchJSON(data.files.markers).then(function (file) {
        view = markerView(map, markerIndex(file), data, open, loadClusterScript);
        return view;
      });
    }
    return markersIndex;
  }

  var legend = legendControl(data, {
    folded: container.clientWidth < FOLD_BELOW,
    markers: data.marked > 0,
    hint: framed && data.marked > 0
  });
  legend.addTo(map);

  if (framed) {
    fetchJSON(data.files.overview).then(function (topology) {
      if (!countries) showCountries(topology);
      mark("ready");
    }).catch(fail);
    /* Markers show from one step closer than the overview; back at the overview they go, so
       that nothing covers the countries a visitor is choosing from. The detailed shapes come
       with the first step in. */
    var shapes = null;
    var isClose = function () {
      return map.getZoom() >= overviewZoom + 1;
    };
    var syncMarkers = function () {
      var close = isClose();
      if (close && !shapes) {
        shapes = fetchJSON(data.files.detail).then(showCountries);
        shapes.catch(fail);
      }
      if (!close && !view) {
        container.setAttribute("data-markers", "hidden");
        return;
      }
      Promise.all([shapes, loadMarkers()]).then(function (loaded) {
        return loaded[1].show(close);
      }).then(function () {
        var shown = close && container.getAttribute("data-view") !== "none";
        if (legend.hint) legend.hint.hidden = shown;
        container.setAttribute("data-markers", shown ? "shown" : "hidden");
        if (close) mark("detail");
      }).catch(fail);
    };
    map.on("moveend", syncMarkers);
  } else {
    /* On its own page: the detailed shapes and the markers of the first view at once, then
       the markers of each view the visitor moves to. A failure is said once the shapes are
       drawn (or could not be), so that the notice never comes before the countries. */
    var detailShapes = fetchJSON(data.files.detail).then(showCountries);
    var shapesDone = detailShapes.then(function () {}, fail);
    var failLater = function (error) {
      shapesDone.then(function () { fail(error); });
    };
    map.on("moveend", function () {
      if (view) view.show(true).catch(failLater);
    });
    /* When every view draws markers (the register holds few enough), markercluster comes
       beside the index rather than after it. */
    if (data.marked <= data.markersInView) loadClusterScript().catch(function () {});
    Promise.all([
      detailShapes,
      loadMarkers().then(function (markers) { return markers.show(true); })
    ]).then(function () {
      mark("detail");
      mark("ready");
    }).catch(failLater);
  }

  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.words.attribution);
}

/* The one name the page needs: folium's script calls it with the map and the data block. */
window.cdDirectoryMap = cdDirectoryMap;
})();
