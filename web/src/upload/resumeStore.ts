import type { ResumeRecord, ResumeStore } from './types';

/**
 * Resume records in IndexedDB, keyed by [userId, fingerprint]: the fingerprint identifies the file
 * and the user id keeps two accounts on one browser from resuming each other's uploads.
 */
const DB_NAME = 'streamforge-uploads';
const STORE = 'uploads';

function promisify<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export class IndexedDbResumeStore implements ResumeStore {
  private db: Promise<IDBDatabase> | null = null;

  constructor(private readonly factory: IDBFactory = indexedDB, private readonly dbName = DB_NAME) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      this.db = new Promise((resolve, reject) => {
        const request = this.factory.open(this.dbName, 1);
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore(STORE, { keyPath: ['userId', 'fingerprint'] });
          store.createIndex('userId', 'userId', { unique: false });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
      });
    }
    return this.db;
  }

  private async tx<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return promisify(run(db.transaction(STORE, mode).objectStore(STORE)));
  }

  async list(userId: string): Promise<ResumeRecord[]> {
    const records = await this.tx<ResumeRecord[]>('readonly', (s) => s.index('userId').getAll(userId));
    return records.sort((a, b) => a.createdAt - b.createdAt);
  }

  get(userId: string, fingerprint: string): Promise<ResumeRecord | undefined> {
    return this.tx<ResumeRecord | undefined>('readonly', (s) => s.get([userId, fingerprint]));
  }

  async put(record: ResumeRecord): Promise<void> {
    await this.tx('readwrite', (s) => s.put(record));
  }

  async delete(userId: string, fingerprint: string): Promise<void> {
    await this.tx('readwrite', (s) => s.delete([userId, fingerprint]));
  }
}

/**
 * For tests and for browsers where IndexedDB is blocked (private modes): resume within the tab only.
 * Records are copied like IndexedDB copies them, except the file handle, which is kept by reference
 * (test doubles of handles carry functions, which structured cloning refuses).
 */
export class MemoryResumeStore implements ResumeStore {
  private readonly records = new Map<string, ResumeRecord>();

  private static copy(record: ResumeRecord): ResumeRecord {
    const { handle, ...rest } = record;
    const copy: ResumeRecord = structuredClone(rest);
    if (handle !== undefined) copy.handle = handle;
    return copy;
  }

  private static key(userId: string, fingerprint: string): string {
    return `${userId}\u0000${fingerprint}`;
  }
  async list(userId: string): Promise<ResumeRecord[]> {
    return [...this.records.values()]
      .filter((r) => r.userId === userId)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((r) => MemoryResumeStore.copy(r));
  }
  async get(userId: string, fingerprint: string): Promise<ResumeRecord | undefined> {
    const r = this.records.get(MemoryResumeStore.key(userId, fingerprint));
    return r && MemoryResumeStore.copy(r);
  }
  async put(record: ResumeRecord): Promise<void> {
    this.records.set(MemoryResumeStore.key(record.userId, record.fingerprint), MemoryResumeStore.copy(record));
  }
  async delete(userId: string, fingerprint: string): Promise<void> {
    this.records.delete(MemoryResumeStore.key(userId, fingerprint));
  }
}
