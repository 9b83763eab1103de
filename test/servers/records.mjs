// A json-server-like service for the service.setup tests: its records live in DATA_FILE (a JSON array),
// loaded at start and written back on every POST, so a load test that writes changes the next run's data.
// PORT and DATA_FILE required.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

const file = process.env.DATA_FILE;
const records = JSON.parse(readFileSync(file, 'utf8'));
console.log(`loaded ${records.length} records from ${file}`);

http
  .createServer((req, res) => {
    if (req.url === '/health') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ status: 'ok', version: 'v1.0.0', dependencies: { file: 'up' } }));
    }
    if (req.url === '/records' && req.method === 'GET') return res.end(JSON.stringify(records));
    if (req.url === '/records' && req.method === 'POST') {
      req.resume();
      return req.on('end', () => {
        records.push({ id: records.length + 1 });
        writeFileSync(file, JSON.stringify(records));
        res.writeHead(201);
        res.end();
      });
    }
    res.writeHead(404);
    res.end();
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
