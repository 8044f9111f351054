import { View, Image, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { PhotoUploads } from '../hooks/usePhotoUploads';
import './PhotoPicker.scss';

interface Props {
  uploads: PhotoUploads;
  idPrefix: string;
}

/** Thumbnails with progress, failure (tap to retry) and remove; a + tile while there is room. */
export function PhotoPicker({ uploads, idPrefix }: Props) {
  const { photos, max } = uploads;
  return (
    <View id={`${idPrefix}-photos`} className="photo-picker">
      {photos.map((photo) => (
        <View
          key={photo.key}
          className={`photo-picker__item ${photo.url ? 'is-uploaded' : ''} ${photo.failed ? 'is-failed' : ''}`}
          onClick={() => {
            if (photo.failed) uploads.retry(photo.key);
            else void Taro.previewImage({ current: photo.localPath, urls: photos.map((item) => item.localPath) });
          }}
        >
          <Image className="photo-picker__image" src={photo.localPath} mode="aspectFill" />
          {!photo.url && !photo.failed ? (
            <View className="photo-picker__overlay">
              <Text>{photo.progress}%</Text>
            </View>
          ) : null}
          {photo.failed ? (
            <View className="photo-picker__overlay photo-picker__overlay--failed">
              <Text>上传失败</Text>
              <Text>点击重试</Text>
            </View>
          ) : null}
          <View
            className="photo-picker__remove"
            onClick={(event) => {
              event.stopPropagation();
              uploads.remove(photo.key);
            }}
          >
            ×
          </View>
        </View>
      ))}
      {photos.length < max ? (
        <View id={`${idPrefix}-add-photo`} className="photo-picker__add" onClick={() => void uploads.choose()}>
          <Text className="photo-picker__plus">+</Text>
          <Text className="photo-picker__count">
            {photos.length}/{max}
          </Text>
        </View>
      ) : null}
    </View>
  );
}
