import Taro from '@tarojs/taro';
import { isErrorBody, type UploadResult } from '@linli/shared';
import { API_BASE, ApiError } from './api';
import { getToken } from './session';

/**
 * `POST /uploads` (multipart, field `file`) → the image's URL. Taro.uploadFile works on weapp and on H5
 * (where the path is a blob: URL from chooseMedia). Failures are not toasted: the photo shows them itself.
 */
export function uploadImage(filePath: string, onProgress?: (percent: number) => void): Promise<string> {
  const token = getToken();
  return new Promise<string>((resolve, reject) => {
    const task = Taro.uploadFile({
      url: `${API_BASE}/uploads`,
      filePath,
      name: 'file',
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success(response) {
        let data: unknown = response.data;
        if (typeof data === 'string') {
          try {
            data = JSON.parse(data);
          } catch {
            // not JSON: handled below
          }
        }
        if (response.statusCode >= 200 && response.statusCode < 300 && typeof (data as UploadResult | null)?.url === 'string') {
          resolve((data as UploadResult).url);
        } else if (isErrorBody(data)) {
          reject(new ApiError(response.statusCode, data.error.code, data.error.message, data.error.details ?? []));
        } else {
          reject(new ApiError(response.statusCode, 'BAD_RESPONSE', `上传失败（${response.statusCode}）`));
        }
      },
      fail() {
        reject(new ApiError(0, 'NETWORK_ERROR', '网络异常，上传失败'));
      },
    });
    task?.onProgressUpdate?.((progress) => onProgress?.(progress.progress));
  });
}

/** An uploaded file's URL as the app can load it: relative ones are on the API server's origin. */
export function mediaUrl(url: string): string {
  if (/^(https?:|data:|blob:|wxfile:)/.test(url) || !url.startsWith('/')) return url;
  const origin = /^https?:\/\/[^/]+/.exec(API_BASE)?.[0] ?? '';
  return `${origin}${url}`;
}
