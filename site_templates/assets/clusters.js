/* Sorting and filtering for the table of all clusters, without a page reload.
   Progressive: without this script the whole table is shown and the filter form stays hidden. */
(function () {
  "use strict";
  var table = document.getElementById("cd-all-clusters");
  var form = document.getElementById("cd-filters");
  if (!table || !form) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var shown = document.getElementById("cd-shown");
  var collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });

  /* Filters */
  var fields = {
    q: form.elements.namedItem("q"),
    country: form.elements.namedItem("country"),
    label: form.elements.namedItem("label"),
    sector: form.elements.namedItem("sector")
  };
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  /* Columns by name (the header's data-column), so that a new column moves nothing. */
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var column = {};
  headers.forEach(function (th, index) { column[th.dataset.column] = index; });
  /* "Name or city" looks at the name (with the acronym) and the city, not the whole row. */
  var texts = rows.map(function (row) {
    return fold(row.cells[column.name].textContent + " " + row.cells[column.city].textContent);
  });

  function apply() {
    var q = fold(fields.q.value.trim());
    var country = fields.country.value;
    var label = fields.label.value;
    var sector = fields.sector.value;
    var count = 0;
    rows.forEach(function (row, i) {
      var ok = (!country || row.dataset.country === country) &&
        (!label || row.dataset.label === label) &&
        (!sector || row.dataset.sectors.split("|").indexOf(sector) >= 0) &&
        (!q || texts[i].indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) count += 1;
    });
    shown.textContent = count === rows.length
      ? "Showing all " + rows.length + " clusters."
      : "Showing " + count + " of " + rows.length + " clusters.";
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (key) {
      if (fields[key].value) params.set(key, fields[key].value);
    });
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  /* Filters can be set from the address, e.g. ?country=DE&label=gold */
  var initial = new URLSearchParams(location.search);
  Object.keys(fields).forEach(function (key) {
    var value = initial.get(key);
    if (value !== null) fields[key].value = key === "country" ? value.toUpperCase() : value;
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;

  /* Sorting: each sortable header gets a button, so it works with the keyboard too. */
  headers.forEach(function (th, position) {
    var kind = th.dataset.sort;
    if (!kind) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cd-sort";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var keyed = rows.map(function (row, i) {
        var cell = row.cells[position];
        var value = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
        return { row: row, value: value, index: i };
      });
      keyed.sort(function (a, b) {
        var order = kind === "number" ? Number(a.value) - Number(b.value) : collator.compare(a.value, b.value);
        return (ascending ? order : -order) || a.index - b.index;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) { fragment.appendChild(item.row); });
      tbody.appendChild(fragment);
    });
  });

  apply();
})();
