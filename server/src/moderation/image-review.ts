import { In, type EntityManager } from 'typeorm';
import type { ImageReview } from '@linli/shared';
import { MediaCheckRow, type MediaCheckStatus } from './moderation.entities';

/** An image check's status in the words of what it means for showing the image. */
export function imageReviewOf(status: MediaCheckStatus | undefined): ImageReview {
  if (status === 'pass') return 'passed';
  if (status === 'review' || status === 'risky') return 'refused';
  // No verdict yet, a hand-over still being retried, or never checked: not shown until it passes.
  return 'checking';
}

/** Where the check of each image stands, by URL (an image the server never checked is `checking`). */
export async function imageReviews(manager: EntityManager, urls: readonly (string | null)[]): Promise<Map<string, ImageReview>> {
  const asked = [...new Set(urls.filter((u): u is string => !!u))];
  const rows = asked.length ? await manager.getRepository(MediaCheckRow).find({ select: { url: true, status: true }, where: { url: In(asked) } }) : [];
  // Compared byte for byte, as the upload registry does: the collation would match any letter case.
  const status = new Map(rows.map((r) => [r.url, r.status]));
  return new Map(asked.map((url) => [url, imageReviewOf(status.get(url))]));
}
