import type { OrdningStore } from '../ports.ts';
import type { Ordning, TimesheetEntry } from './schemas.ts';
import { append } from '../../solver/lists.ts';

/** The embedded ordning store: one process, nothing on disk. Copies in and out, as Redis would. */
export class MemoryOrdningStore implements OrdningStore {
  private ordninger = new Map<string, Ordning>();
  private sheets = new Map<string, { revision: number; entries: TimesheetEntry[] }>();
  private links = new Map<string, string[]>();

  /** `maxOrdninger`: ordninger this process holds at most (the embedded mode keeps them until deleted or restarted). */
  constructor(private maxOrdninger = Infinity) {}

  async put(ordning: Ordning) {
    const existed = this.ordninger.has(ordning.id);
    if (!existed && this.ordninger.size >= this.maxOrdninger) return 'no-room';
    this.ordninger.set(ordning.id, structuredClone(ordning));
    return existed ? 'updated' : 'created';
  }

  async get(id: string) {
    const o = this.ordninger.get(id);
    return o ? structuredClone(o) : null;
  }

  async delete(id: string) {
    this.sheets.delete(id);
    this.links.delete(id);
    return this.ordninger.delete(id);
  }

  async timesheet(id: string) {
    return structuredClone(this.sheets.get(id) ?? { revision: 0, entries: [] });
  }

  async saveTimesheet(id: string, revision: number, entries: TimesheetEntry[]) {
    if (!this.ordninger.has(id) || (this.sheets.get(id)?.revision ?? 0) !== revision) return false;
    this.sheets.set(id, { revision: revision + 1, entries: structuredClone(entries) });
    return true;
  }

  async linkSchedule(id: string, scheduleId: string) {
    append(this.links, id, scheduleId);
  }

  async schedules(id: string) {
    return [...(this.links.get(id) ?? [])];
  }
}
