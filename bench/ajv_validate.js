// bench/ajv_validate.js - the Node.js way to do phx-validate's job, for the
// benchmark: ajv (the engine of ajv-cli, which reads one JSON document per
// file and so cannot take NDJSON) with ajv-formats, compiled from the same
// etc/property.schema.json, plus the rules and quality score of
// bench/validate.jq. Valid records go out with _phx.quality; invalid ones as
// {"reject": [...]}.
//   node bench/ajv_validate.js SCHEMA RECORDS.ndjson > out
'use strict';
const fs = require('fs');
const { StringDecoder } = require('string_decoder');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const [schemaPath, dataPath] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const year = new Date().getUTCFullYear();
const weights = [[['address', 'street'], 2], [['address', 'zip'], 3], [['address', 'city'], 1],
	[['apn'], 1], [['location'], 1], [['property_type'], 1], [['features', 'bedrooms'], 2],
	[['features', 'bathrooms'], 2], [['features', 'square_feet'], 3],
	[['features', 'lot_size_sqft'], 1], [['features', 'year_built'], 2],
	[['parcel', 'valuations'], 1]];
const allWeight = weights.reduce((s, w) => s + w[1], 0);

function get(r, path) {
	for (const k of path) {
		if (r === null || typeof r !== 'object') return undefined;
		r = r[k];
	}
	return r;
}

function check(r) {
	const errors = [];
	if (!validate(r)) for (const e of validate.errors) errors.push(e.instancePath + ' ' + e.message);
	const f = r && r.features;
	if (f && typeof f.year_built === 'number' && f.year_built > year + 1)
		errors.push('rule.year_built_future');
	if (r && typeof r.apn === 'string' && r.property_id !== 'apn:' + r.apn)
		errors.push('rule.property_id_mismatch');
	return errors;
}

function quality(r, warnings) {
	let have = 0;
	for (const [p, n] of weights) {
		const v = get(r, p);
		if (v !== undefined && v !== null) have += n;
	}
	return (have / allWeight) * 0.5 + 0.25 * Math.max(1 - 0.25 * warnings.length, 0) + 0.25;
}

const out = [];
let pending = 0;
function emit(s) {
	out.push(s);
	pending += s.length;
	if (pending > 1 << 20) {
		fs.writeSync(1, out.join('\n') + '\n');
		out.length = 0;
		pending = 0;
	}
}

function line(text) {
	if (text.trim() === '') return;
	let r;
	try {
		r = JSON.parse(text);
	} catch (e) {
		emit(JSON.stringify({ reject: ['not_json'], line: text.slice(0, 200) }));
		return;
	}
	const errors = check(r);
	if (errors.length) {
		emit(JSON.stringify({ reject: errors, record: r }));
		return;
	}
	const warnings = [];
	const f = r.features;
	if (f && typeof f.bedrooms === 'number' && f.bedrooms > 0 &&
	    typeof f.square_feet === 'number') {
		const per = f.square_feet / f.bedrooms;
		if (per < 150 || per > 3000) warnings.push('rule.living_area_per_bedroom');
	}
	r._phx = r._phx || {};
	r._phx.quality = quality(r, warnings);
	r._phx.validation = warnings;
	emit(JSON.stringify(r));
}

// Read in chunks and split on newlines (readline is slower for big files).
const fd = fs.openSync(dataPath, 'r');
const buf = Buffer.alloc(1 << 22);
const decoder = new StringDecoder('utf8');	// keeps characters cut by a chunk whole
let rest = '';
for (;;) {
	const n = fs.readSync(fd, buf, 0, buf.length, null);
	if (n === 0) break;
	const text = rest + decoder.write(buf.subarray(0, n));
	const parts = text.split('\n');
	rest = parts.pop();
	for (const p of parts) line(p);
}
if (rest !== '') line(rest);
if (out.length) fs.writeSync(1, out.join('\n') + '\n');
