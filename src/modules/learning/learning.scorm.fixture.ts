import zlib from 'node:zlib';

// Zip archives built byte by byte for tests: a SCORM 1.2 sample package, and hostile archives
// (path traversal, symlinks, lying sizes, bombs) no well-behaved zip library would write.

export interface ZipItem {
  name: string;
  data?: Buffer | string;
  /** Store instead of deflate. */
  store?: boolean;
  /** Unix mode in the external attributes (e.g. 0o120777 for a symlink). */
  mode?: number;
  /** Override the uncompressed size written in the headers (a lying archive). */
  declaredSize?: number;
}

export function makeZip(items: ZipItem[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const it of items) {
    const raw = Buffer.isBuffer(it.data) ? it.data : Buffer.from(it.data ?? '', 'utf8');
    const name = Buffer.from(it.name, 'utf8');
    const method = it.store || it.name.endsWith('/') ? 0 : 8;
    const body = method === 8 ? zlib.deflateRawSync(raw) : raw;
    const crc = zlib.crc32(raw);
    const size = it.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    const mode = it.mode ?? (it.name.endsWith('/') ? 0o040755 : 0o100644);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const SAMPLE_MANIFEST = (
  title = 'Border ethics (SCORM sample)',
) => `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.border-ethics" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>${title}</title>
      <item identifier="item1" identifierref="res1"><title>Lesson 1</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
      <file href="sco/index.html"/><file href="sco/app.js"/>
    </resource>
  </resources>
</manifest>`;

/** The SCO: finds the API in its parent, sets status and score, commits, finishes. */
export const SAMPLE_SCO_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>SCO</title>
<script src="app.js"></script></head><body><h1>Border ethics</h1><p id="state">loading</p>
<button id="finish" onclick="finish(85)">Finish</button></body></html>`;

export const SAMPLE_SCO_JS = `
function findAPI(w) { var n = 0; while (w && !w.API && w.parent && w.parent !== w && n++ < 10) w = w.parent; return w && w.API; }
var api = findAPI(window);
window.addEventListener('load', function () {
  document.getElementById('state').textContent = api && api.LMSInitialize('') === 'true' ? 'ready' : 'no-api';
});
function finish(score) {
  api.LMSSetValue('cmi.core.score.min', '0');
  api.LMSSetValue('cmi.core.score.max', '100');
  api.LMSSetValue('cmi.core.score.raw', String(score));
  api.LMSSetValue('cmi.core.lesson_status', score >= 80 ? 'passed' : 'failed');
  api.LMSSetValue('cmi.core.session_time', '0000:01:30.00');
  api.LMSSetValue('cmi.suspend_data', 'page=3');
  var ok = api.LMSCommit('');
  api.LMSFinish('');
  document.getElementById('state').textContent = ok === 'true' ? 'committed' : 'commit-failed:' + api.LMSGetLastError();
}
`;

export function samplePackage(title?: string): Buffer {
  return makeZip([
    { name: 'imsmanifest.xml', data: SAMPLE_MANIFEST(title) },
    { name: 'sco/', data: '' },
    { name: 'sco/index.html', data: SAMPLE_SCO_HTML },
    { name: 'sco/app.js', data: SAMPLE_SCO_JS },
  ]);
}
