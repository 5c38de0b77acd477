/**
 * Mutable media state: how often each conversation's recordings were polled (to answer 202 "transcoding" the first
 * times) and the annotations clients created. Only touched conversations take memory.
 */
import type { SimAnnotation } from '../data/types';

export class MediaStore {
  private readonly polls = new Map<string, number>();
  private readonly annotations = new Map<string, SimAnnotation[]>();
  private annotationSeq = 0;

  /** Counts a poll and returns how many came before it. */
  poll(conversationId: string, formatId: string): number {
    const key = `${conversationId}|${formatId}`;
    const before = this.polls.get(key) ?? 0;
    this.polls.set(key, before + 1);
    return before;
  }

  annotationsOf(recordingId: string): SimAnnotation[] {
    return this.annotations.get(recordingId) ?? [];
  }

  /** Creates the annotation, or replaces the one with the same id (the platform's POST "creates or updates"). */
  upsertAnnotation(recordingId: string, a: SimAnnotation): void {
    const list = this.annotations.get(recordingId) ?? [];
    const at = list.findIndex((x) => x.id === a.id);
    if (at >= 0) list[at] = a;
    else list.push(a);
    this.annotations.set(recordingId, list);
  }

  nextAnnotationSeq(): number {
    return this.annotationSeq++;
  }

  clear(): void {
    this.polls.clear();
    this.annotations.clear();
    this.annotationSeq = 0;
  }
}
