import { z } from 'zod';
import { AppError } from '../platform/errors';
import { route } from '../platform/route';
import { readSingleFile, payloadTooLarge } from './multipart';
import type { UploadsService } from './uploads.service';

/** Room for the multipart framing around the file (boundaries, part headers, a long file name). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const fileParams = z.object({
  year: z.string().regex(/^\d{4}$/),
  month: z.string().regex(/^\d{2}$/),
  day: z.string().regex(/^\d{2}$/),
  name: z.string().regex(/^[0-9a-f]{16}\.(jpg|png|gif|webp)$/),
});

export function uploadRoutes(uploads: UploadsService) {
  return [
    route({
      method: 'post',
      path: '/uploads',
      tag: 'uploads',
      summary:
        'Upload one image as multipart/form-data, field `file` (JPEG, PNG, GIF or WebP, decided by content; at most 10 MB) → 201 {url}',
      status: 201,
      rawBody: {
        'multipart/form-data': {
          schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
        },
      },
      async handler({ ctx, actor }) {
        if (!ctx.is('multipart/form-data')) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请选择一张图片上传');
        }
        const declared = Number(ctx.get('content-length'));
        if (Number.isFinite(declared) && declared > uploads.maxBytes + MULTIPART_OVERHEAD_BYTES) {
          // Refuse before reading, and close the connection rather than drain a body nobody wants.
          ctx.set('Connection', 'close');
          throw payloadTooLarge(uploads.maxBytes);
        }
        let bytes: Buffer | null;
        try {
          bytes = await readSingleFile(ctx.req, { fieldName: 'file', maxBytes: uploads.maxBytes });
        } catch (err) {
          if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE') ctx.set('Connection', 'close');
          throw err;
        }
        if (!bytes) {
          throw new AppError('VALIDATION_FAILED', '请选择要上传的图片', [{ path: 'body.file', message: '请选择要上传的图片' }]);
        }
        return uploads.saveImage(bytes, actor.userId);
      },
    }),
    route({
      method: 'get',
      path: '/uploads/files/:year/:month/:day/:name',
      tag: 'uploads',
      summary: 'An uploaded image (public: keys are unguessable; cached for a year), or a redirect to it in object storage (a signed or public URL)',
      auth: false,
      params: fileParams,
      async handler({ params, ctx }) {
        const key = `${params.year}/${params.month}/${params.day}/${params.name}`;
        const elsewhere = await uploads.redirectFor(key);
        if (elsewhere) {
          ctx.redirect(elsewhere.url);
          ctx.set('Cache-Control', `private, max-age=${elsewhere.maxAgeSeconds}`);
          ctx.state.answered = true;
          return null;
        }
        const file = await uploads.open(key);
        ctx.type = file.contentType;
        ctx.length = file.size;
        ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
        ctx.set('X-Content-Type-Options', 'nosniff');
        return file.body;
      },
    }),
  ];
}
