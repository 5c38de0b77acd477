/** Custom-attribute records written by clients, per conversation and record id. Empty until someone writes. */
import type { SimCustomAttributes } from '../data/types';

export class AttributeStore {
  private readonly byConversation = new Map<string, Map<string, SimCustomAttributes>>();

  list(conversationId: string): SimCustomAttributes[] {
    return [...(this.byConversation.get(conversationId)?.values() ?? [])];
  }

  get(conversationId: string, id: string): SimCustomAttributes | undefined {
    return this.byConversation.get(conversationId)?.get(id);
  }

  put(record: SimCustomAttributes): void {
    const m = this.byConversation.get(record.conversationId) ?? new Map<string, SimCustomAttributes>();
    m.set(record.id, record);
    this.byConversation.set(record.conversationId, m);
  }

  delete(conversationId: string, id: string): boolean {
    return this.byConversation.get(conversationId)?.delete(id) ?? false;
  }

  clear(): void {
    this.byConversation.clear();
  }
}
