// The stations' own IndexedDB ("kiosk-offline"): the local roster, what this tablet checked
// in itself, and the outbox of scans waiting to be sent. Promises around the few calls we
// need. Where IndexedDB is missing or refused (a private window), the same calls work on
// memory: the page still answers offline, it just forgets on reload.
const NAME = "kiosk-offline";
const VERSION = 1;
let opened = null;

function upgrade(db) {
  if (!db.objectStoreNames.contains("roster")) {
    db.createObjectStore("roster", { keyPath: "id" });
  }
  if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
  if (!db.objectStoreNames.contains("seen")) db.createObjectStore("seen", { keyPath: "id" });
  if (!db.objectStoreNames.contains("outbox")) {
    const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
    outbox.createIndex("queue", "queue");
  }
}

function memoryDb() {
  const stores = { roster: new Map(), meta: new Map(), seen: new Map(), outbox: new Map() };
  let seq = 0;
  return {
    memory: true,
    async getAll(store) { return [...stores[store].values()]; },
    async get(store, key) { return stores[store].get(key); },
    async put(store, value, key) {
      if (store === "outbox" && value.seq === undefined) value = { ...value, seq: ++seq };
      const k = key ?? value.id ?? value.seq;
      stores[store].set(k, value);
      return k;
    },
    async delete(store, key) { stores[store].delete(key); },
    async clear(store) { stores[store].clear(); },
    async putMany(store, values, gone = []) {
      for (const key of gone) stores[store].delete(key);
      for (const value of values) stores[store].set(value.id, value);
    },
  };
}

const asPromise = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

function wrap(db) {
  const run = (store, mode, work) => new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    let result;
    Promise.resolve(work(tx.objectStore(store))).then((value) => { result = value; });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return {
    memory: false,
    getAll: (store) => run(store, "readonly", (s) => asPromise(s.getAll())),
    get: (store, key) => run(store, "readonly", (s) => asPromise(s.get(key))),
    put: (store, value, key) => run(store, "readwrite", (s) => asPromise(key === undefined ? s.put(value) : s.put(value, key))),
    delete: (store, key) => run(store, "readwrite", (s) => asPromise(s.delete(key))),
    clear: (store) => run(store, "readwrite", (s) => asPromise(s.clear())),
    // One transaction for a whole roster delta: a reload never sees half of one.
    putMany: (store, values, gone = []) => run(store, "readwrite", (s) => {
      for (const key of gone) s.delete(key);
      for (const value of values) s.put(value);
    }),
  };
}

export function openStore() {
  if (opened) return opened;
  opened = new Promise((resolve) => {
    if (!("indexedDB" in window)) { resolve(memoryDb()); return; }
    let request;
    try { request = indexedDB.open(NAME, VERSION); } catch { resolve(memoryDb()); return; }
    request.onupgradeneeded = () => upgrade(request.result);
    request.onsuccess = () => resolve(wrap(request.result));
    request.onerror = () => resolve(memoryDb());
    request.onblocked = () => resolve(memoryDb());
  });
  return opened;
}
