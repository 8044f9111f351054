import { View, Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { mediaUrl } from '../services/uploads';

interface Props {
  urls: string[];
  /** The BEM block the page styles: `${block}` on the grid, `${block}__image` on each photo. */
  block: string;
  className?: string;
  /** Photos to mark (`is-flagged`), e.g. those a content check flagged. */
  flagged?: string[];
}

/** Uploaded photos in a grid; a tap opens WeChat's full-screen preview of all of them. */
export function PhotoGrid({ urls, block, className, flagged }: Props) {
  if (urls.length === 0) return null;
  const full = urls.map(mediaUrl);
  return (
    <View className={`${block} ${className ?? ''}`}>
      {full.map((url, index) => (
        <Image
          key={url}
          className={`${block}__image ${flagged?.includes(urls[index]) ? 'is-flagged' : ''}`}
          src={url}
          mode="aspectFill"
          lazyLoad
          onClick={(event) => {
            event.stopPropagation();
            void Taro.previewImage({ current: url, urls: full });
          }}
        />
      ))}
    </View>
  );
}
