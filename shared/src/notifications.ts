/** One line of a user's in-app inbox. */
export interface NotificationItem {
  id: number;
  /** e.g. report.accepted, report.supervised, consultation.approved */
  kind: string;
  title: string;
  body: string;
  /** A page of the app to open, e.g. `/packages/reports/detail/index?id=12` */
  link: string | null;
  read: boolean;
  createdAt: string;
}

export interface NotificationPage {
  items: NotificationItem[];
  nextCursor: string | null;
  unread: number;
}

export interface UploadResult {
  url: string;
}

/** Images residents attach: checked by content, not by name. */
export const UPLOAD_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
