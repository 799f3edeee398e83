// Test helper: reads [[lat, lon, rangeKm, minRangeKm], ...] as JSON on stdin,
// writes what static/wrm/wrm-rings.js computes for each case (case_runner.js) as JSON on stdout.
'use strict';
const path = require('path');
const wrm = path.join(__dirname, '..', '..', '..', 'static', 'wrm');
const WRM = require(path.join(wrm, 'wrm-rings.js'));
WRM.use(require(path.join(wrm, 'geographiclib-geodesic.min.js')));
const runCases = require(path.join(__dirname, 'case_runner.js'));
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(runCases(WRM, cases)));
