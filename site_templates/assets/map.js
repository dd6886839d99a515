/* Draws the directory's data on the folium map: countries shaded by their number of labelled
   clusters (each shape with the class country-<iso2>), cluster markers grouped when zoomed out,
   a legend, and the boundary attribution. Clicking or pressing Enter on a country opens its
   page in the whole window, also when the map is framed in the home page.

   The data block (generator/mapview.py) gives every number: the view's bounds and zoom limits,
   the shades, the files. The shapes and markers are files beside the page. On its own page the
   map loads the detailed shapes and the markers at once. Framed in the home page it is an
   overview for choosing a country: it loads the light shapes only, and the detailed shapes,
   markercluster and the markers when the visitor zooms in, so that the home page stays light.

   The parts, each a function below: decoding the shapes (topologyFeatures), loading files
   (fetchJSON, loadScript), the country layer, the marker layer, the legend, and cdDirectoryMap,
   which puts them together. Only Leaflet's public API is used. */
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

function plural(n, word) {
  return n + " " + word + (n === 1 ? "" : "s");
}

/* Markers as named fields: markers.json holds rows in the order its "fields" give. */
function namedMarkers(file, levelNames) {
  return file.rows.map(function (row) {
    var marker = {};
    file.fields.forEach(function (field, i) { marker[field] = row[i]; });
    marker.levelName = levelNames[marker.level];
    return marker;
  });
}

/* Countries shaded by their count; a labelled one is a link (click, or focus and Enter). */
function countryLayer(topology, data, open) {
  return L.geoJSON(topologyFeatures(topology, "countries"), {
    style: function (feature) {
      var country = data.countries[feature.properties.iso2];
      var labelled = country.count > 0;
      return {
        className: country["class"] + (labelled ? " cd-country cd-country--labelled" : " cd-country"),
        fillColor: labelled ? data.shades[country.shade] : data.noneShade,
        fillOpacity: 1,
        color: labelled ? "#2b4a6f" : "#b5b5b5",
        weight: labelled ? 0.8 : 0.5,
        interactive: labelled
      };
    },
    onEachFeature: function (feature, layer) {
      var country = data.countries[feature.properties.iso2];
      if (!country.count) return;
      var text = country.name + ": " + plural(country.count, "cluster");
      layer.bindTooltip(text, { sticky: true, direction: "top" });
      layer.on("click", function () { open(country.url); });
      layer.on("add", function () { linkShape(layer, text, function () { open(country.url); }); });
    }
  });
}

/* The shape's SVG path made a link for keyboards and screen readers. */
function linkShape(layer, text, follow) {
  var path = layer.getElement();
  if (!path) return;
  var container = path.closest(".leaflet-container");
  path.setAttribute("tabindex", "0");
  path.setAttribute("role", "link");
  path.setAttribute("aria-label", text);
  /* A click must not focus the shape: the browser would scroll the map's panes to show the
     focused shape, and the press would end on whatever moved under the pointer. */
  path.addEventListener("mousedown", function (event) { event.preventDefault(); });
  path.addEventListener("focus", function () {
    if (container) {
      container.scrollTop = 0;
      container.scrollLeft = 0;
    }
    layer.openTooltip(layer.getCenter());
  });
  path.addEventListener("blur", function () { layer.closeTooltip(); });
  path.addEventListener("keydown", function (event) {
    if (event.key === "Enter") follow();
  });
}

/* A popup for one marker, built from text nodes: a record's name is never read as HTML. */
function markerPopup(marker, open) {
  var box = document.createElement("div");
  var name = document.createElement("strong");
  name.textContent = marker.name;
  var label = document.createElement("div");
  label.className = "cd-popup-label";
  label.textContent = marker.levelName;
  var link = document.createElement("a");
  link.href = "../clusters/" + marker.id + "/";
  link.textContent = "Open the cluster page";
  link.addEventListener("click", function (event) {
    event.preventDefault();
    open(link.getAttribute("href"));
  });
  box.appendChild(name);
  box.appendChild(label);
  box.appendChild(link);
  return box;
}

/* The markers, grouped when zoomed out; `done` is called once every marker is placed. */
function markerLayer(markers, open, done) {
  var group = L.markerClusterGroup({
    chunkedLoading: true,
    chunkProgress: function (placed, total) {
      if (placed === total) setTimeout(done, 0);
    },
    showCoverageOnHover: false,
    maxClusterRadius: 45,
    iconCreateFunction: function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({
        html: "<span>" + n + "</span>",
        className: "cd-marker-group cd-marker-group--" + size,
        iconSize: L.point(30, 30)
      });
    }
  });
  var layers = markers.map(function (marker) {
    var level = marker.levelName.toLowerCase();
    return L.marker([marker.lat, marker.lon], {
      icon: L.divIcon({
        className: "cd-marker cd-marker--" + level,
        iconSize: [MARKER_SIZE, MARKER_SIZE]
      }),
      title: marker.name,
      alt: marker.name
    }).bindPopup(function () { return markerPopup(marker, open); });
  });
  group.addLayers(layers);
  if (!layers.length) setTimeout(done, 0);
  return group;
}

/* The legend: one row per shade, "none" last, and in the overview a hint to zoom in. */
function legendControl(data, withHint) {
  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "cd-legend");
    var title = L.DomUtil.create("div", "cd-legend-title", box);
    title.textContent = "Labelled clusters";
    data.legend.concat([{ shade: data.noneShade, label: "none" }]).forEach(function (item) {
      var row = L.DomUtil.create("div", "cd-legend-row", box);
      var swatch = L.DomUtil.create("span", "cd-legend-swatch", row);
      swatch.style.background = item.shade;
      var label = L.DomUtil.create("span", "", row);
      label.textContent = item.label;
    });
    if (withHint) {
      legend.hint = L.DomUtil.create("div", "cd-legend-hint", box);
      legend.hint.textContent = "Zoom in to see each cluster";
    }
    return box;
  };
  return legend;
}

/* A notice in the map when a file could not be loaded; the countries list leads to the same pages. */
function failureNotice() {
  var notice = L.control({ position: "topright" });
  notice.onAdd = function () {
    var box = L.DomUtil.create("div", "cd-legend cd-map-failed");
    box.setAttribute("role", "status");
    box.textContent = "Part of the map could not be loaded. The list of countries leads to the same pages.";
    return box;
  };
  return notice;
}

/* A link back to the directory, on the map's own page. */
function backControl(home) {
  var back = L.control({ position: "topright" });
  back.onAdd = function () {
    var box = L.DomUtil.create("div", "cd-back leaflet-bar");
    var link = L.DomUtil.create("a", "", box);
    link.href = home;
    link.textContent = "\u2190 Back to the directory";
    return box;
  };
  return back;
}

function cdDirectoryMap(map, dataElement) {
  var data = JSON.parse(dataElement.textContent);
  var framed = window.top !== window.self;
  var container = map.getContainer();

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
    failureNotice().addTo(map);
  }

  /* Leaflet focuses the map on a press so that arrow keys pan it. In a frame that is not wholly
     in view, that focus scrolls the page between the press and the release, and the click lands
     elsewhere: the container focuses without scrolling instead (a DOM method, not Leaflet's). */
  container.focus = function () {
    HTMLElement.prototype.focus.call(container, { preventScroll: true });
  };
  /* In the home page, the wheel scrolls the page, not the map; buttons, keys, a double click
     and pinching still zoom. */
  if (framed) map.scrollWheelZoom.disable();

  /* Marker grouping needs to know how far the map zooms; folium sets it only on tile layers.
     Fractional zoom lets Europe fill frames of any size; the view is set before the markers
     are grouped, so that they are grouped once, for this view. */
  map.setMinZoom(data.view.minZoom);
  map.setMaxZoom(data.view.maxZoom);
  map.options.zoomSnap = data.view.zoomSnap;
  map.fitBounds(data.view.bounds, { animate: false });
  var overviewZoom = map.getZoom();

  var countries = null;
  function showCountries(topology) {
    /* The detailed shapes replace the overview's; the new layer goes on before the old one
       leaves, so the map never shows a gap. */
    var layer = countryLayer(topology, data, open).addTo(map);
    if (countries) map.removeLayer(countries);
    countries = layer;
  }

  var markers = null;
  var detail = null;
  function loadDetail() {
    /* The detailed shapes, and markercluster with the markers, once. The shapes are drawn
       when they arrive, even if the markers cannot be. */
    if (!detail) {
      var shapes = fetchJSON(data.files.detail).then(showCountries);
      var placed = Promise.all([
        fetchJSON(data.files.markers),
        loadScript(data.files.markercluster)
      ]).then(function (loaded) {
        return new Promise(function (resolve) {
          markers = markerLayer(namedMarkers(loaded[0], data.levels), open, resolve);
          /* Tells tests and scripts when a group has spread its markers out. */
          markers.on("spiderfied", function () { container.setAttribute("data-spread", "true"); });
          markers.on("unspiderfied", function () { container.removeAttribute("data-spread"); });
          map.addLayer(markers);
        });
      });
      detail = Promise.all([shapes, placed]).then(function () { mark("detail"); });
      detail.catch(fail);
    }
    return detail;
  }

  var legend = legendControl(data, framed && data.marked > 0);
  legend.addTo(map);

  if (framed) {
    fetchJSON(data.files.overview).then(function (topology) {
      if (!countries) showCountries(topology);
      mark("ready");
    }).catch(fail);
    /* Markers show from one step closer than the overview; back at the overview they go, so
       that nothing covers the countries a visitor is choosing from. */
    var isClose = function () {
      return map.getZoom() >= overviewZoom + 1;
    };
    var syncMarkers = function () {
      var close = isClose();
      if (markers && close !== map.hasLayer(markers)) {
        if (close) map.addLayer(markers);
        else map.removeLayer(markers);
      }
      if (legend.hint) legend.hint.hidden = Boolean(markers && close);
      container.setAttribute("data-markers", markers && close ? "shown" : "hidden");
    };
    map.on("zoomend", function () {
      if (isClose()) loadDetail().then(syncMarkers, function () {});
      else syncMarkers();
    });
  } else {
    loadDetail().then(function () { mark("ready"); }, function () {});
    backControl(data.home).addTo(map);
  }

  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain)");
}

/* The one name the page needs: folium's script calls it with the map and the data block. */
window.cdDirectoryMap = cdDirectoryMap;
})();
