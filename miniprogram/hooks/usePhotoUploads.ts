import { useCallback, useMemo, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { MAX_REPORT_PHOTOS } from '@linli/shared';
import { isWeapp } from '../services/auth';
import { uploadImage } from '../services/uploads';

export interface PhotoItem {
  key: number;
  /** The local file (weapp temp path, H5 blob: URL): what the thumbnail shows. */
  localPath: string;
  /** Set once uploaded. */
  url: string | null;
  progress: number;
  failed: boolean;
}

export interface PhotoUploads {
  photos: PhotoItem[];
  /** URLs of the uploaded photos, in order. */
  urls: string[];
  uploading: boolean;
  failed: boolean;
  max: number;
  choose: () => Promise<void>;
  remove: (key: number) => void;
  retry: (key: number) => void;
  clear: () => void;
}

/** Photos chosen with chooseMedia, each uploaded at once with its own progress and failure. */
export function usePhotoUploads(max = MAX_REPORT_PHOTOS): PhotoUploads {
  const [photos, setPhotos] = useState<PhotoItem[]>([]);
  const nextKey = useRef(1);

  const patch = useCallback((key: number, change: Partial<PhotoItem>) => {
    setPhotos((list) => list.map((photo) => (photo.key === key ? { ...photo, ...change } : photo)));
  }, []);

  const upload = useCallback(
    (key: number, localPath: string) => {
      patch(key, { failed: false, progress: 0 });
      uploadImage(localPath, (progress) => patch(key, { progress }))
        .then((url) => patch(key, { url, progress: 100 }))
        .catch(() => patch(key, { failed: true }));
    },
    [patch],
  );

  const choose = useCallback(async () => {
    const room = max - photos.length;
    if (room <= 0) return;
    let files: string[] = [];
    try {
      const chosen = await Taro.chooseMedia({
        count: room,
        mediaType: ['image'],
        // On H5 the browser's own file picker offers the camera too.
        sourceType: isWeapp ? ['album', 'camera'] : ['album'],
        sizeType: ['compressed'],
      });
      files = chosen.tempFiles.map((file) => file.tempFilePath).slice(0, room);
    } catch {
      return; // cancelled
    }
    const added = files.map((localPath) => ({ key: nextKey.current++, localPath, url: null, progress: 0, failed: false }));
    setPhotos((list) => [...list, ...added]);
    added.forEach((photo) => upload(photo.key, photo.localPath));
  }, [max, photos.length, upload]);

  const remove = useCallback((key: number) => setPhotos((list) => list.filter((photo) => photo.key !== key)), []);
  const retry = useCallback(
    (key: number) => {
      const photo = photos.find((item) => item.key === key);
      if (photo) upload(key, photo.localPath);
    },
    [photos, upload],
  );
  const clear = useCallback(() => setPhotos([]), []);

  return useMemo(
    () => ({
      photos,
      urls: photos.filter((photo) => photo.url).map((photo) => photo.url as string),
      uploading: photos.some((photo) => !photo.url && !photo.failed),
      failed: photos.some((photo) => photo.failed),
      max,
      choose,
      remove,
      retry,
      clear,
    }),
    [photos, max, choose, remove, retry, clear],
  );
}
