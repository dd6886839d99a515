"""folium's drawing of the map without a tile layer (written by `make map-drawn`,
scripts/mapdrawn.py; do not edit): mapview.py puts each page's values in the place of its
mark (mapview.MARKS)."""

FOLIUM = "0.20.0"  # the version that drew it

FRAME = (
    "<!DOCTYPE html>\n"
    '<html lang="cdmap0lang0">\n'
    "<head>\n"
    "cdmap0head0\n"
    "    \n"
    '    <link rel="icon" href="../cdmap0up0assets/images/favicon.svg" type="image/svg+xml">\n'
    '    <script src="cdmap0up0../assets/vendor/leaflet/leaflet.js"></script>\n'
    '    <script src="cdmap0up0../assets/map.js"></script>\n'
    '    <link rel="stylesheet" href="cdmap0up0../assets/vendor/leaflet/leaflet.css"/>\n'
    '    <link rel="stylesheet" href="cdmap0up0../assets/vendor/leaflet.markercluster/MarkerCluster.css"/>\n'
    '    <link rel="stylesheet" href="cdmap0up0../assets/map.css"/>\n'
    "    \n"
    '            <meta name="viewport" content="width=device-width,\n'
    '                initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />\n'
    "            <style>\n"
    "                #map_0002 {\n"
    "                    position: relative;\n"
    "                    width: 100.0%;\n"
    "                    height: 100.0%;\n"
    "                    left: 0.0%;\n"
    "                    top: 0.0%;\n"
    "                }\n"
    "                .leaflet-container { font-size: 1rem; }\n"
    "            </style>\n"
    "\n"
    "            <style>html, body {\n"
    "                width: 100%;\n"
    "                height: 100%;\n"
    "                margin: 0;\n"
    "                padding: 0;\n"
    "            }\n"
    "            </style>\n"
    "\n"
    "            <style>#map {\n"
    "                position:absolute;\n"
    "                top:0;\n"
    "                bottom:0;\n"
    "                right:0;\n"
    "                left:0;\n"
    "                }\n"
    "            </style>\n"
    "\n"
    "            <script>\n"
    "                L_NO_TOUCH = false;\n"
    "                L_DISABLE_3D = false;\n"
    "            </script>\n"
    "\n"
    "        \n"
    "</head>\n"
    "<body>\n"
    "cdmap0heading0\n"
    "    \n"
    '    <script type="application/json" id="cd-map-data">"cdmap0block0"</script>\n'
    "    \n"
    '            <div class="folium-map" id="map_0002" ></div>\n'
    "        \n"
    "<script>\n"
    "    \n"
    "    \n"
    "            var map_0002 = L.map(\n"
    '                "map_0002",\n'
    "                {\n"
    "                    center: [53.0, 17.0],\n"
    "                    crs: L.CRS.EPSG3857,\n"
    "                    ...{\n"
    '  "zoom": 4,\n'
    '  "zoomControl": true,\n'
    '  "preferCanvas": false,\n'
    "}\n"
    "\n"
    "                }\n"
    "            );\n"
    "\n"
    "            \n"
    "\n"
    "        \n"
    "    cdDirectoryMap(map_0002, document.getElementById('cd-map-data'));\n"
    "</script>\n"
    "</body>\n"
    "</html>"
)

PART = (
    "\n"
    '    <script type="application/json" id="cd-map-data">"cdmap0block0"</script>\n'
    "    \n"
    '            <div class="folium-map" id="map_0002" ></div>\n'
    "        \n"
    "<script>\n"
    "\n"
    "    \n"
    "            var map_0002 = L.map(\n"
    '                "map_0002",\n'
    "                {\n"
    "                    center: [53.0, 17.0],\n"
    "                    crs: L.CRS.EPSG3857,\n"
    "                    ...{\n"
    '  "zoom": 4,\n'
    '  "zoomControl": true,\n'
    '  "preferCanvas": false,\n'
    "}\n"
    "\n"
    "                }\n"
    "            );\n"
    "\n"
    "            \n"
    "\n"
    "        \n"
    "    cdDirectoryMap(map_0002, document.getElementById('cd-map-data'));\n"
    "</script>"
)
