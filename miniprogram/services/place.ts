import Taro from '@tarojs/taro';
import { isWeapp } from './auth';

export interface Place {
  location: { lat: number; lng: number } | null;
  address: string;
}

/** WeChat's map picker (GCJ-02). Null when the user backs out. Weapp only. */
export async function chooseOnMap(): Promise<Place | null> {
  try {
    const picked = await Taro.chooseLocation({});
    if (!picked.latitude && !picked.longitude) return null;
    return {
      location: { lat: picked.latitude, lng: picked.longitude },
      address: [picked.name, picked.address].filter(Boolean).join(' · ') || '地图选点',
    };
  } catch {
    return null;
  }
}

/** Where the phone is now (GCJ-02). Null when refused or unavailable. */
export async function currentPlace(): Promise<Place | null> {
  try {
    const here = await Taro.getLocation({ type: 'gcj02' });
    return { location: { lat: here.latitude, lng: here.longitude }, address: '当前位置' };
  } catch {
    void Taro.showToast({ title: '无法获取位置，请在设置中允许使用位置信息', icon: 'none' });
    return null;
  }
}

/** Asks to send the resident WeChat messages about the report's progress; failure or refusal is fine. */
export async function requestReportSubscription(): Promise<void> {
  if (!isWeapp || SUBSCRIBE_TEMPLATE_IDS.length === 0) return;
  try {
    await Taro.requestSubscribeMessage({ tmplIds: SUBSCRIBE_TEMPLATE_IDS, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option);
  } catch {
    // Declined or not supported: the in-app inbox still carries the news.
  }
}

/** Asks to send the resident a WeChat message when a notice is posted (template ANNOUNCEMENT among the build's ids). */
export async function requestNoticeSubscription(): Promise<void> {
  await requestReportSubscription();
}
