// bench/store_node.mjs - the Node.js baseline of bench/store.sh: the official
// MongoDB driver doing what phx-store's writes amount to, without the merge:
// unordered bulk replace-one upserts on property_id, BATCH records at a time.
//
//   node bench/store_node.mjs URI DATABASE FILE [BATCH]
//
// The driver comes from tests/servers/node_modules (install-congodb.sh).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'servers', 'package.json'));
const { MongoClient } = require('mongodb');

const [uri, dbName, file, batchArg] = process.argv.slice(2);
if (!uri || !dbName || !file) {
	process.stderr.write('usage: node bench/store_node.mjs URI DATABASE FILE [BATCH]\n');
	process.exit(64);
}
const batch = Number(batchArg || 1000);
const client = new MongoClient(uri);
await client.connect();
const coll = client.db(dbName).collection('properties');
await coll.createIndex({ property_id: 1 }, { unique: true });

let ops = [];
let n = 0;
const flush = async () => {
	if (ops.length === 0) return;
	await coll.bulkWrite(ops, { ordered: false });
	n += ops.length;
	ops = [];
};
const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
for await (const line of lines) {
	if (line === '') continue;
	const doc = JSON.parse(line);
	ops.push({ replaceOne: { filter: { property_id: doc.property_id }, replacement: doc,
		upsert: true } });
	if (ops.length >= batch) await flush();
}
await flush();
await client.close();
process.stderr.write(`store_node: ${n} records\n`);
