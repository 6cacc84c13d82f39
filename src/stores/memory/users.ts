// Users in memory, unique by id and by username in any letter case.

import type { ListPage, User, UserStore } from '../../provider/types.ts';
import { caseFold } from '../case-fold.ts';
import { contains, oldestFirst, pageOf } from './list-page.ts';

const copy = (u: User): User => ({ ...u });

export class MemoryUserStore implements UserStore {
  readonly #byId = new Map<string, User>();
  readonly #idByKey = new Map<string, string>();

  async create(user: User): Promise<void> {
    if (this.#byId.has(user.id)) throw new Error(`user id already exists: ${user.id}`);
    const key = caseFold(user.username);
    if (this.#idByKey.has(key)) throw new Error(`username already exists: ${user.username}`);
    const { email, ...rest } = user;
    this.#byId.set(user.id, email ? { ...rest, email } : rest);
    this.#idByKey.set(key, user.id);
  }
  async getById(id: string): Promise<User | null> {
    const user = this.#byId.get(id);
    return user ? copy(user) : null;
  }
  async getByUsername(username: string): Promise<User | null> {
    const id = this.#idByKey.get(caseFold(username));
    return id === undefined ? null : this.getById(id);
  }
  #matching(search: string | undefined): User[] {
    return [...this.#byId.values()].filter((u) => contains(caseFold(u.username), search));
  }
  async list(page: ListPage): Promise<User[]> {
    return pageOf(this.#matching(page.search).sort(oldestFirst((u) => u.id)), page).map(copy);
  }
  async count(search?: string): Promise<number> {
    return this.#matching(search).length;
  }
  #change(id: string, change: Partial<User>): boolean {
    const user = this.#byId.get(id);
    if (!user) return false;
    this.#byId.set(id, { ...user, ...change });
    return true;
  }
  async updatePassword(id: string, passwordHash: string): Promise<boolean> {
    return this.#change(id, { passwordHash });
  }
  async setDisabled(id: string, disabled: boolean): Promise<boolean> {
    return this.#change(id, { disabled });
  }
  async setOperator(id: string, isOperator: boolean): Promise<boolean> {
    return this.#change(id, { isOperator });
  }
  async setEmail(id: string, email: string | null): Promise<boolean> {
    const user = this.#byId.get(id);
    if (!user) return false;
    const { email: _old, ...rest } = user;
    // Absent when there is none, as the SQL stores read it back.
    this.#byId.set(id, email === null ? rest : { ...rest, email });
    return true;
  }
  async listByEmail(email: string): Promise<User[]> {
    const key = caseFold(email);
    return [...this.#byId.values()]
      .filter((u) => u.email && caseFold(u.email) === key)
      .sort(oldestFirst((u) => u.id))
      .map(copy);
  }
  async delete(id: string): Promise<boolean> {
    const user = this.#byId.get(id);
    if (!user) return false;
    this.#byId.delete(id);
    this.#idByKey.delete(caseFold(user.username));
    return true;
  }
}
