/* The public page's map: Natural Earth country shapes (world-atlas, served by the app) drawn
   by Leaflet without any tile server, the project's countries coloured by their part. */
(function () {
  "use strict";
  var el = document.getElementById("project-map");
  var source = document.getElementById("map-places");
  if (!el || !source || !window.L || !window.topojson) { return; }
  var places = JSON.parse(source.textContent);

  function placeOf(feature) {
    for (var i = 0; i < places.length; i++) {
      var p = places[i];
      if ((p.numeric && feature.id === p.numeric) || feature.properties.name === p.shape_name) { return p; }
    }
    return null;
  }

  function mainland(group) {
    var best = null, most = -1;
    group.eachLayer(function (layer) {
      var rings = layer.getLatLngs();
      // A MultiPolygon gives [[ring, holes...], ...]; a Polygon gives [ring, holes...].
      var polygons = Array.isArray(rings[0][0]) ? rings : [rings];
      polygons.forEach(function (polygon) {
        var size = window.L.latLngBounds(polygon[0]);
        var area = Math.abs((size.getNorth() - size.getSouth()) * (size.getEast() - size.getWest()));
        if (area > most) { most = area; best = size; }
      });
    });
    return best;
  }

  var map = window.L.map(el, { zoomSnap: 0.25, worldCopyJump: false, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet").addAttribution("Shapes: Natural Earth");
  fetch(el.getAttribute("data-shapes")).then(function (r) { return r.json(); }).then(function (topo) {
    var world = window.topojson.feature(topo, topo.objects.countries);
    var involved = [];
    window.L.geoJSON(world, {
      interactive: false,
      style: function () { return { className: "country country-other", weight: 0.5 }; }
    }).addTo(map);
    world.features.forEach(function (feature) {
      var place = placeOf(feature);
      if (!place) { return; }
      var layer = window.L.geoJSON(feature, {
        style: function () { return { className: "country country-" + place.role, weight: 1 }; }
      }).bindTooltip(place.name + " (" + (place.role === "beneficiary" ? "beneficiary" : place.role + " Member State") + ")");
      layer.addTo(map);
      involved.push(layer);
    });
    // Framed on each country's largest part: France without French Guiana, as the
    // portal's maps show Europe and its neighbours.
    var bounds = null;
    involved.forEach(function (layer) {
      var largest = mainland(layer);
      if (largest) { bounds = bounds ? bounds.extend(largest) : largest; }
    });
    if (bounds && bounds.isValid()) { map.fitBounds(bounds.pad(0.3)); } else { map.setView([50, 20], 3); }
    el.classList.add("rendered");
    el.setAttribute("data-countries", String(involved.length));
  });
}());
