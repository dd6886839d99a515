/* Sorting, filtering and paging a list of clusters (site_templates/pages/_lists.j2), on the whole
   list, in the browser.

   The page holds one page of rows as a real table and links to the others, so that every
   cluster is reachable without this script. The script fetches the list's compact index
   (generator/listing.py writes it, column by column) the first time the visitor changes a filter
   or the sort, or when the address asks for one, and from then on works on every row in memory,
   rendering only the current page of results: real rows, for screen readers. The count is
   announced in an aria-live region; the sorted column carries aria-sort; the state lives in the
   address (?q=&country=&label=&sector=&sort=&page=), so that any view can be shared. The count
   line says what the view shows ("Showing 8 clusters in France with a SILVER label, by name."),
   worded from the patterns the page hands over (data-words, from generator/core/words.py); an
   empty view says so, hides the table and offers to clear the filters. "Download this list"
   saves the rows of the view, every page of it, as CSV or JSON, with the register's columns.

   Every word the script shows comes from the page (data-words) or the index, in the page's
   language; that language (<html lang>) also chooses how a number is written, which plural
   form a count takes and how a column is collated.

   Parts: reading the index (Rows), the state and the address, filtering and sorting (View),
   drawing the table, the count and the pages, and the downloads. */
(function () {
"use strict";

var FILTERS = ["q", "country", "label", "sector"];
var list = document.querySelector("[data-cd-list]");
if (!list) return;
var form = list.querySelector("form.cd-filters");
var table = list.querySelector("table");
var tbody = table.tBodies[0];
var shown = list.querySelector(".cd-shown");
var empty = list.querySelector(".cd-empty");
var tableWrap = table.parentNode;
var downloadView = list.querySelector(".cd-download-view");
var words = JSON.parse(list.dataset.words);
var defaultSort = list.dataset.sort || "name";
var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
var columns = headers.map(function (th) { return th.dataset.column; });
var staticPage = Number(list.dataset.page);
var basePath = new URL(list.dataset.base, location.href).pathname;
var clustersBase = new URL(list.dataset.clusters, location.href).href;
var language = document.documentElement.lang || undefined;
var numbers = new Intl.NumberFormat(language);
var plurals = new Intl.PluralRules(language);

/* Accents and case set aside, as the generator's sort_key does. */
function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
function asciiSlug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
function formatCount(n) {
  return numbers.format(n);
}
/* A counted message's form for n: words.py hands one for each plural category of the page's
   language (i18n.plural_forms); "other" stands in for a category it does not name. */
function pluralForm(forms, n) {
  return forms[plurals.select(n)] || forms.other;
}

/* The index, column by column, as rows with named fields (see generator/listing.py). */
function Rows(index) {
  var rows = [];
  for (var i = 0; i < index.count; i += 1) {
    var name = index.name[i];
    var code = index.country.substr(i * 2, 2);
    var city = index.cities[index.city[i]];
    rows.push({
      order: i,
      id: index.id[String(i)] || asciiSlug(name),
      name: name,
      country: code,
      countryName: index.countries[code],
      level: Number(index.level[i]),
      validUntil: index.validUntil[i],
      renewableUntil: index.renewableUntil ? index.renewableUntil[i] : null,
      city: city,
      sectors: index.sector[i],
      text: fold(name + " " + city)
    });
  }
  this.rows = rows;
  this.index = index;
  this.sorted = {};
}
Rows.prototype.lastDay = function (month) {
  /* A month counted from the index's first year, as its last day: [ISO date, "31 May 2028"]
     (the text as the index gives it, written by the generator in the page's language). */
  var year = this.index.firstYear + Math.floor(month / 12);
  var m = month % 12;
  var day = new Date(Date.UTC(year, m + 1, 0)).getUTCDate();
  var iso = year + "-" + String(m + 1).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  return [iso, this.index.days[String(month)]];
};
Rows.prototype.order = function (sort) {
  /* The rows in a sort order, computed once per order; ties keep the order by name. */
  if (this.sorted[sort]) return this.sorted[sort];
  var descending = sort.charAt(0) === "-";
  var column = descending ? sort.slice(1) : sort;
  var collator = new Intl.Collator(language, { sensitivity: "base", numeric: true });
  var key = {
    name: null,
    country: function (r) { return r.countryName; },
    label: function (r) { return -r.level; },
    valid_until: function (r) { return r.validUntil; },
    renewable_until: function (r) { return r.renewableUntil; },
    city: function (r) { return r.city; }
  }[column];
  var rows = this.rows.slice();
  if (key) {
    rows.sort(function (a, b) {
      var x = key(a);
      var y = key(b);
      var c = typeof x === "number" ? x - y : collator.compare(x, y);
      return c || a.order - b.order;
    });
  }
  if (descending) {
    /* Reversed by the column, still by name within equal values. */
    rows.sort(function (a, b) {
      var x = key ? key(a) : a.order;
      var y = key ? key(b) : b.order;
      var c = typeof x === "number" ? y - x : collator.compare(y, x);
      return c || a.order - b.order;
    });
  }
  this.sorted[sort] = rows;
  return rows;
};
Rows.prototype.matching = function (state) {
  var q = fold(state.q.trim());
  var level = state.label ? this.index.levelIds.indexOf(state.label) : -1;
  var sector = state.sector ? this.index.sectors.indexOf(state.sector) : -1;
  var digit = sector >= 0 ? sector.toString(36) : "";
  return this.order(state.sort).filter(function (r) {
    return (!state.country || r.country === state.country) &&
      (level < 0 || r.level === level) &&
      (!digit || r.sectors.indexOf(digit) >= 0) &&
      (!q || r.text.indexOf(q) >= 0);
  });
};

/* The state: the form's fields, the sort and the page, read from and written to the address. */
function readState(search) {
  var params = new URLSearchParams(search);
  var state = { sort: params.get("sort") || defaultSort, page: Number(params.get("page")) || 0 };
  FILTERS.forEach(function (key) {
    var value = params.get(key) || "";
    state[key] = key === "country" ? value.toUpperCase() : value;
  });
  var known = columns.indexOf(state.sort.replace(/^-/, "")) >= 0;
  if (!known) state.sort = defaultSort;
  return state;
}
function isPlain(state) {
  return !isFiltered(state) && state.sort === defaultSort;
}
function isFiltered(state) {
  return FILTERS.some(function (key) { return state[key]; });
}
function address(state) {
  var params = new URLSearchParams();
  FILTERS.concat(["sort"]).forEach(function (key) {
    if (state[key] && !(key === "sort" && state.sort === defaultSort)) params.set(key, state[key]);
  });
  if (state.page > 1) params.set("page", String(state.page));
  var query = params.toString();
  return basePath + (query ? "?" + query : "");
}
function showState(state) {
  FILTERS.concat(["sort"]).forEach(function (key) {
    var field = form.elements.namedItem(key);
    if (!field) return;
    field.value = key === "sort" ? state.sort.replace(/^-/, "") : state[key];
    if (field.value !== (key === "sort" ? state.sort.replace(/^-/, "") : state[key])) field.value = "";
  });
  headers.forEach(function (th) {
    var column = th.dataset.column;
    if (state.sort === column) th.setAttribute("aria-sort", "ascending");
    else if (state.sort === "-" + column) th.setAttribute("aria-sort", "descending");
    else th.removeAttribute("aria-sort");
  });
}

/* Drawing: the rows of the current page, the count, the links to the pages. */
function cell(row, column, rows) {
  var td = document.createElement("td");
  var heading = headers[columns.indexOf(column)].dataset.heading;
  if (column !== "name") td.setAttribute("data-label", heading);
  if (column === "name") {
    var link = document.createElement("a");
    link.href = clustersBase + row.id + "/";
    link.textContent = row.name;
    td.appendChild(link);
  } else if (column === "country") {
    td.textContent = row.countryName;
  } else if (column === "label") {
    var badge = document.createElement("span");
    var id = rows.index.levelIds[row.level];
    badge.className = "cd-badge cd-badge--" + id;
    badge.textContent = rows.index.levels[row.level];
    td.appendChild(badge);
  } else if (column === "valid_until" || column === "renewable_until") {
    var day = rows.lastDay(column === "valid_until" ? row.validUntil : row.renewableUntil);
    var time = document.createElement("time");
    time.setAttribute("datetime", day[0]);
    time.textContent = day[1];
    td.appendChild(time);
  } else if (column === "city") {
    td.textContent = row.city;
  }
  return td;
}
function pagerLink(text, state, page, current, rel) {
  var item = document.createElement("li");
  var link = document.createElement("a");
  link.href = address(Object.assign({}, state, { page: page }));
  link.textContent = text;
  link.dataset.page = String(page);
  if (current) link.setAttribute("aria-current", "page");
  if (rel) link.rel = rel;
  item.appendChild(link);
  return item;
}
function drawPager(state, pages) {
  var old = list.querySelector(".cd-pager");
  if (old) old.remove();
  if (pages <= 1) return;
  var nav = document.createElement("nav");
  nav.className = "cd-pager";
  nav.setAttribute("aria-label", words.pages);
  var where = document.createElement("span");
  where.className = "cd-pager-where";
  where.textContent = fill(words.pager, { page: formatCount(state.page), pages: formatCount(pages) });
  var items = document.createElement("ul");
  if (state.page > 1) items.appendChild(pagerLink(words.previous, state, state.page - 1, false, "prev"));
  var previous = 0;
  for (var n = 1; n <= pages; n += 1) {
    if (n !== 1 && n !== pages && Math.abs(n - state.page) > 2) continue;
    if (previous && n - previous > 1) {
      var gap = document.createElement("li");
      gap.setAttribute("aria-hidden", "true");
      gap.textContent = "\u2026";
      items.appendChild(gap);
    }
    items.appendChild(pagerLink(String(n), state, n, n === state.page));
    previous = n;
  }
  if (state.page < pages) items.appendChild(pagerLink(words.next, state, state.page + 1, false, "next"));
  nav.appendChild(where);
  nav.appendChild(items);
  tableWrap.after(nav);
}
/* The count line, as generator/core/words.py:shown_sentence words it (from its patterns). */
function fill(pattern, fields) {
  /* One pass, as Python's str.format: a value is never read as a pattern. */
  return pattern.replace(/\{(\w+)\}/g, function (whole, key) {
    return Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : whole;
  });
}
function wherePhrases(state, rows) {
  var level = rows.index.levelIds.indexOf(state.label);
  var values = {
    country: state.country ? rows.index.countries[state.country] || state.country : "",
    label: level >= 0 ? rows.index.levels[level] : "",
    sector: state.sector ? rows.index.sectorNames[rows.index.sectors.indexOf(state.sector)] || state.sector : "",
    q: state.q.trim()
  };
  return words.where.map(function (pair) {
    return values[pair[0]] ? fill(pair[1], { value: values[pair[0]] }) : "";
  }).join("");
}
function describe(state, rows, total, first, last) {
  var where = wherePhrases(state, rows);
  var key = !total ? (where ? "none" : "empty") : first === 1 && last === total ? (where ? "filtered" : "all") : "page";
  var descending = state.sort.charAt(0) === "-";
  var column = words.columns[state.sort.replace(/^-/, "")];
  return fill(pluralForm(words.shown[key], total), {
    n: formatCount(total),
    first: formatCount(first),
    last: formatCount(last),
    where: where,
    order: fill(words.order[descending ? 1 : 0], { column: column })
  });
}
function draw(rows, state) {
  var found = rows.matching(state);
  var size = rows.index.pageSize;
  var pages = Math.max(1, Math.ceil(found.length / size));
  state.page = Math.min(Math.max(state.page || 1, 1), pages);
  var start = (state.page - 1) * size;
  var shownRows = found.slice(start, start + size);
  var fragment = document.createDocumentFragment();
  shownRows.forEach(function (row) {
    var tr = document.createElement("tr");
    columns.forEach(function (column) { tr.appendChild(cell(row, column, rows)); });
    fragment.appendChild(tr);
  });
  tbody.replaceChildren(fragment);
  shown.textContent = describe(state, rows, found.length, start + 1, start + shownRows.length);
  /* An empty view is said, not drawn: no table of headings alone. */
  tableWrap.hidden = !found.length;
  empty.hidden = found.length > 0 || !isFiltered(state);
  downloadView.hidden = !found.length;
  drawPager(state, pages);
  showState(state);
  list.removeAttribute("aria-busy");
  list.setAttribute("data-shown", String(found.length));
}

/* Downloads: the register's rows (clusters.json, fetched on the first download) of the view's
   clusters, in the view's order, as CSV written the way generator/site/csvout.py writes
   clusters.csv (every text cell quoted, a formula's first character defused), or as JSON shaped
   like clusters.json. */
var FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];
function pythonFloat(value) {
  /* A number as Python writes a float (repr): the register's only numbers are coordinates. */
  if (Object.is(value, -0)) return "-0.0";
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return value + ".0";
  var abs = Math.abs(value);
  if (abs >= 1e-4 && abs < 1e16) return String(value);
  return value.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
}
function csvCell(value) {
  if (value === null || value === undefined) return '""';
  if (typeof value === "number") return pythonFloat(value);
  var text = Array.isArray(value) ? value.join("; ") : String(value);
  if (FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) text = "'" + text;
  return '"' + text.replace(/"/g, '""') + '"';
}
function csvText(columns, records) {
  var lines = [columns.map(csvCell).join(",")];
  records.forEach(function (record) {
    lines.push(columns.map(function (column) { return csvCell(record[column]); }).join(","));
  });
  return lines.join("\r\n") + "\r\n";
}
function jsonText(register, records) {
  var valid = records.filter(function (record) { return record.state === "valid"; });
  var countries = {};
  valid.forEach(function (record) { countries[record.country] = true; });
  var data = {
    format_version: register.format_version,
    as_of: register.as_of,
    headline: { clusters: valid.length, countries: Object.keys(countries).length },
    columns: register.columns,
    clusters: records
  };
  return JSON.stringify(data, null, 1) + "\n";
}
function save(name, type, text) {
  var url = URL.createObjectURL(new Blob([text], { type: type }));
  var link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
}
var register = null;
function loadRegister() {
  if (!register) {
    register = fetch(list.dataset.register).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
    register.catch(function () { register = null; });
  }
  return register;
}
function download(format) {
  var state = readState(location.search);
  return Promise.all([load(), loadRegister()]).then(function (loaded) {
    list.removeAttribute("aria-busy");
    var byId = {};
    loaded[1].clusters.forEach(function (record) { byId[record.id] = record; });
    var records = loaded[0].matching(state).map(function (row) { return byId[row.id]; });
    var chosen = FILTERS.map(function (key) { return asciiSlug(fold(state[key].trim())); });
    var name = [list.dataset.name].concat(chosen.filter(Boolean)).join("-");
    if (format === "csv") save(name + ".csv", "text/csv", csvText(loaded[1].columns, records));
    else save(name + ".json", "application/json", jsonText(loaded[1], records));
  }).catch(function () {
    list.removeAttribute("aria-busy");
    shown.textContent = words.notDownloaded;
  });
}

/* Putting it together: the form and the headers change the state; the first change fetches
   the index; the address follows the state. */
var rows = null;
var loading = null;
function load() {
  if (!loading) {
    list.setAttribute("aria-busy", "true");
    loading = fetch(list.dataset.index).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (index) {
      rows = new Rows(index);
      return rows;
    });
    loading.catch(function () {
      list.removeAttribute("aria-busy");
      shown.textContent = words.notFiltered;
    });
  }
  return loading;
}
function apply(state, how) {
  return load().then(function (loaded) {
    draw(loaded, state);
    var target = address(state);
    if (how === "push") history.pushState(null, "", target);
    else if (how === "replace" && location.pathname + location.search !== target) history.replaceState(null, "", target);
  });
}
function stateFromForm() {
  var state = { page: 1 };
  FILTERS.forEach(function (key) {
    var field = form.elements.namedItem(key);
    state[key] = field ? field.value : "";
  });
  var sort = form.elements.namedItem("sort").value;
  var current = readState(location.search).sort;
  state.sort = current.replace(/^-/, "") === sort ? current : sort;
  return state;
}

headers.forEach(function (th) {
  th.dataset.heading = th.textContent;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "cd-sort";
  button.textContent = th.textContent;
  th.textContent = "";
  th.appendChild(button);
  button.addEventListener("click", function () {
    var state = stateFromForm();
    var column = th.dataset.column;
    var current = th.getAttribute("aria-sort");
    state.sort = current === "ascending" ? "-" + column : column;
    apply(state, "replace");
  });
});
form.addEventListener("input", function (event) {
  if (event.target.name === "sort") return;
  apply(stateFromForm(), "replace");
});
form.addEventListener("change", function (event) {
  if (event.target.name !== "sort") return;
  var state = stateFromForm();
  state.sort = event.target.value;
  apply(state, "replace");
});
form.addEventListener("reset", function () {
  setTimeout(function () { apply(readState(""), "replace"); }, 0);
});
form.addEventListener("submit", function (event) { event.preventDefault(); });
downloadView.querySelectorAll("button[data-format]").forEach(function (button) {
  button.addEventListener("click", function () { download(button.dataset.format); });
});
empty.querySelector("button").addEventListener("click", function () {
  /* Clears the filters, keeps the order; the count line then says what the list holds. */
  var state = readState("");
  state.sort = readState(location.search).sort;
  apply(state, "replace").then(function () { shown.focus(); });
});
list.addEventListener("click", function (event) {
  var link = event.target.closest(".cd-pager a[data-page]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  var state = readState(new URL(link.href).search);
  apply(state, "push").then(function () { shown.focus(); });
});
window.addEventListener("popstate", function () {
  var state = readState(location.search);
  if (isPlain(state) && !rows) return;
  apply(state, null);
});

var initial = readState(location.search);
showState(initial);
if (!isPlain(initial) || (initial.page && initial.page !== staticPage)) {
  apply(initial, "replace");
}
list.classList.add("cd-list--ready");
})();
