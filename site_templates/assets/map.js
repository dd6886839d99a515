/* Draws the directory's data on the folium map: countries shaded by their number of labelled
   clusters (each shape with the class country-<iso2>), cluster markers grouped when zoomed out,
   a legend, and the boundary attribution. Clicking or pressing Enter on a country opens its
   page in the whole window, also when the map is framed in the home page.

   The shapes and markers are files beside the page. On its own page the map loads the detailed
   shapes and the markers at once. Framed in the home page it is an overview for choosing a
   country: it loads the light shapes only, and the detailed shapes, markercluster and the
   markers when the visitor zooms in, so that the home page stays light. */
/* exported cdDirectoryMap */

/* GeoJSON features from one object of a quantized TopoJSON topology (Polygon and MultiPolygon
   shapes, as scripts/boundaries/make_boundaries.mjs writes them; it checks the same decoding).
   Arcs hold integer steps; an index ~i reads arc i backwards; the arcs of a ring meet at their
   ends, so each arc after the first skips its first point. */
function topologyFeatures(topology, name) {
  "use strict";
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

function cdDirectoryMap(map, dataElement) {
  "use strict";
  var data = JSON.parse(dataElement.textContent);
  var framed = window.top !== window.self;
  var container = map.getContainer();

  function open(url) {
    var absolute = new URL(url, document.baseURI).href;
    (framed ? window.top : window).location.href = absolute;
  }
  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }
  function fetchJSON(name) {
    return fetch(new URL(name, document.baseURI).href).then(function (response) {
      if (!response.ok) throw new Error(name + ": HTTP " + response.status);
      return response.json();
    });
  }
  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(url + " did not load")); };
      document.head.appendChild(script);
    });
  }
  function mark(name) {
    /* Tells tests and scripts what is drawn: data-ready once the first view is complete,
       data-detail once the detailed shapes and the markers are. */
    container.setAttribute("data-" + name, "true");
  }
  var failed = false;
  function fail(error) {
    if (failed) return;
    failed = true;
    container.setAttribute("data-failed", String(error));
    var notice = L.control({ position: "topright" });
    notice.onAdd = function () {
      var box = L.DomUtil.create("div", "cd-legend cd-map-failed");
      box.setAttribute("role", "status");
      box.textContent = "Part of the map could not be loaded. The list of countries leads to the same pages.";
      return box;
    };
    notice.addTo(map);
  }

  /* Leaflet focuses the map on every press so that arrow keys pan it. In a frame that is not
     wholly in view, that focus makes the page scroll the frame into view between the press and
     the release, and the click lands elsewhere: focus without scrolling instead. */
  if (map.keyboard) {
    map.keyboard.disable();
    map.keyboard._onMouseDown = function () {
      if (!this._focused) this._map.getContainer().focus({ preventScroll: true });
    };
    map.keyboard.enable();
  }
  /* In the home page, the wheel scrolls the page, not the map; buttons, keys, a double click
     and pinching still zoom. */
  if (framed) map.scrollWheelZoom.disable();

  function countryLayer(topology) {
    return L.geoJSON(topologyFeatures(topology, "countries"), {
      style: function (feature) {
        var p = data.countries[feature.properties.iso2];
        var labelled = p.count > 0;
        return {
          className: p["class"] + (labelled ? " cd-country cd-country--labelled" : " cd-country"),
          fillColor: labelled ? data.shades[p.shade] : "#e8e8e8",
          fillOpacity: 1,
          color: labelled ? "#2b4a6f" : "#b5b5b5",
          weight: labelled ? 0.8 : 0.5,
          interactive: labelled
        };
      },
      onEachFeature: function (feature, layer) {
        var p = data.countries[feature.properties.iso2];
        if (!p.count) return;
        var text = p.name + ": " + plural(p.count, "cluster");
        layer.bindTooltip(text, { sticky: true, direction: "top" });
        layer.on("click", function () { open(p.url); });
        layer.on("add", function () {
          var path = layer.getElement();
          if (!path) return;
          path.setAttribute("tabindex", "0");
          path.setAttribute("role", "link");
          path.setAttribute("aria-label", text);
          /* A click must not focus the shape: the browser would scroll the map's panes to show
             the focused shape, and the press would end on whatever moved under the pointer. */
          path.addEventListener("mousedown", function (event) { event.preventDefault(); });
          path.addEventListener("focus", function () {
            container.scrollTop = 0;
            container.scrollLeft = 0;
            layer.openTooltip(layer.getCenter());
          });
          path.addEventListener("blur", function () { layer.closeTooltip(); });
          path.addEventListener("keydown", function (event) {
            if (event.key === "Enter") open(p.url);
          });
        });
      }
    });
  }
  var countries = null;
  function showCountries(topology) {
    /* The detailed shapes replace the overview's; the new layer goes on before the old one
       leaves, so the map never shows a gap. */
    var layer = countryLayer(topology).addTo(map);
    if (countries) map.removeLayer(countries);
    countries = layer;
  }

  /* Marker grouping needs to know how far the map zooms; folium sets it only on tile layers. */
  map.setMinZoom(2);
  map.setMaxZoom(14);
  /* Fractional zoom lets Europe fill frames of any size; the view is set before the markers
     are grouped, so that they are grouped once, for this view. */
  map.options.zoomSnap = 0.25;
  map.fitBounds([[34.5, -11], [71.5, 32]], { animate: false });
  var overviewZoom = map.getZoom();

  var levelNames = data.levels;
  var markers = null;
  function markerLayer(list, done) {
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
    var all = list.map(function (m) {
      var level = levelNames[m[4]];
      var marker = L.marker([m[0], m[1]], {
        icon: L.divIcon({ className: "cd-marker cd-marker--" + level.toLowerCase(), iconSize: [14, 14] }),
        title: m[3],
        alt: m[3]
      });
      marker.bindPopup(function () {
        /* Built from text nodes: a record's name is never read as HTML. */
        var box = document.createElement("div");
        var name = document.createElement("strong");
        name.textContent = m[3];
        var label = document.createElement("div");
        label.className = "cd-popup-label";
        label.textContent = level;
        var link = document.createElement("a");
        link.href = "../clusters/" + m[2] + "/";
        link.textContent = "Open the cluster page";
        link.addEventListener("click", function (event) { event.preventDefault(); open(link.getAttribute("href")); });
        box.appendChild(name);
        box.appendChild(label);
        box.appendChild(link);
        return box;
      });
      return marker;
    });
    map.addLayer(group);
    group.addLayers(all);
    if (!all.length) setTimeout(done, 0);
    return group;
  }

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
          markers = markerLayer(loaded[0], resolve);
        });
      });
      detail = Promise.all([shapes, placed]).then(function () { mark("detail"); });
      detail.catch(fail);
    }
    return detail;
  }

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
      if (hint) hint.hidden = Boolean(markers && close);
    };
    map.on("zoomend", function () {
      if (isClose()) loadDetail().then(syncMarkers, function () {});
      else syncMarkers();
    });
  } else {
    loadDetail().then(function () { mark("ready"); }, function () {});
  }

  var hint = null;
  var legend = L.control({ position: "bottomleft" });
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "cd-legend");
    var title = L.DomUtil.create("div", "cd-legend-title", box);
    title.textContent = "Labelled clusters";
    data.legend.concat([{ shade: "#e8e8e8", label: "none" }]).forEach(function (item) {
      var row = L.DomUtil.create("div", "cd-legend-row", box);
      var swatch = L.DomUtil.create("span", "cd-legend-swatch", row);
      swatch.style.background = item.shade;
      var label = L.DomUtil.create("span", "", row);
      label.textContent = item.label;
    });
    if (framed && data.marked) {
      hint = L.DomUtil.create("div", "cd-legend-hint", box);
      hint.textContent = "Zoom in to see each cluster";
    }
    return box;
  };
  legend.addTo(map);

  if (!framed) {
    var back = L.control({ position: "topright" });
    back.onAdd = function () {
      var box = L.DomUtil.create("div", "cd-back leaflet-bar");
      var link = L.DomUtil.create("a", "", box);
      link.href = data.home;
      link.textContent = "\u2190 Back to the directory";
      return box;
    };
    back.addTo(map);
  }

  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: Natural Earth (public domain)");
}
