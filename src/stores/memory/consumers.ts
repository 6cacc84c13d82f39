// Registered apps in memory.

import type { Consumer, ConsumerStore, ListPage } from '../../provider/types.ts';
import { contains, oldestFirst, pageOf } from './list-page.ts';

const copy = (c: Consumer): Consumer => ({ ...c, callbackUrls: [...c.callbackUrls] });
const byAge = oldestFirst<Consumer>((c) => c.key);

export class MemoryConsumerStore implements ConsumerStore {
  readonly #byKey = new Map<string, Consumer>();

  async create(consumer: Consumer): Promise<void> {
    if (this.#byKey.has(consumer.key)) throw new Error(`consumer key already exists: ${consumer.key}`);
    this.#byKey.set(consumer.key, copy(consumer));
  }
  async get(key: string): Promise<Consumer | null> {
    const consumer = this.#byKey.get(key);
    return consumer ? copy(consumer) : null;
  }
  #matching(search: string | undefined): Consumer[] {
    return [...this.#byKey.values()].filter((c) => contains(c.name, search) || c.key === search);
  }
  async list(page: ListPage): Promise<Consumer[]> {
    return pageOf(this.#matching(page.search).sort(byAge), page).map(copy);
  }
  async listByOwner(userId: string): Promise<Consumer[]> {
    return [...this.#byKey.values()]
      .filter((c) => c.ownerUserId === userId)
      .sort(byAge)
      .map(copy);
  }
  async count(search?: string): Promise<number> {
    return this.#matching(search).length;
  }
  async update(consumer: Consumer): Promise<void> {
    if (!this.#byKey.has(consumer.key)) throw new Error(`no such consumer: ${consumer.key}`);
    this.#byKey.set(consumer.key, copy(consumer));
  }
  async keys(limit: number): Promise<string[]> {
    return [...this.#byKey.keys()].slice(0, limit);
  }
  async delete(key: string): Promise<void> {
    this.#byKey.delete(key);
  }
}
