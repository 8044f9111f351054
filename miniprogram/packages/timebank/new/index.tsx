import { useEffect, useState } from 'react';
import { View, Text, Picker } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { mayPostTask, mayRunTimebank, POINTS_PER_VOLUNTEER_HOUR, toMinutes, volunteerPoints, type CreateTaskBody } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { restricted } from '../../../components/Restricted';
import { useMe } from '../../../hooks/useMe';
import { isWeapp } from '../../../services/auth';
import { chooseOnMap, currentPlace } from '../../../services/place';
import { getMyTimebank, hoursText, postTask, taskDetailUrl } from '../../../services/timebank';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

const HOURS = [0.5, 1, 1.5, 2, 3, 4];
const CAPACITIES = [1, 2, 3, 5, 10, 20];
const pad = (n: number) => String(n).padStart(2, '0');

/** The next quarter hour at least 10 minutes away: soon enough to check in, late enough to sign up. */
function defaultStart(): Date {
  const at = new Date(Date.now() + 10 * 60_000);
  at.setSeconds(0, 0);
  at.setMinutes(Math.ceil(at.getMinutes() / 15) * 15);
  return at;
}
const dateText = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeText = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/**
 * 发布任务. A secretary's task is paid from the community's hours; a resident's request escrows
 * hours × places from their own balance until the helpers are confirmed.
 */
function NewTask() {
  const { me } = useMe();
  const start0 = defaultStart();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [date, setDate] = useState(dateText(start0));
  const [time, setTime] = useState(timeText(start0));
  const [hours, setHours] = useState(1);
  const [capacity, setCapacity] = useState(1);
  const [address, setAddress] = useState('');
  const [location, setLocation] = useState<{ lat: number; lng: number } | null>(null);
  const [balance, setBalance] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  /** A resident's request for the community to pay (求助): for whoever's hours do not reach. */
  const [askCommunity, setAskCommunity] = useState<boolean | null>(null);

  const secretary = mayRunTimebank(me);
  const escrow = hours * capacity;

  useEffect(() => {
    if (me && !secretary) getMyTimebank().then((page) => setBalance(page.balanceHours)).catch(() => undefined);
  }, [me?.id, secretary]);

  // Said before the form, not after it: with too few hours, the community may pay.
  const short = !secretary && balance !== null && balance < escrow;
  const asking = !secretary && (askCommunity ?? short);

  const startAt = new Date(`${date}T${time}:00`);
  const endAt = new Date(startAt.getTime() + hours * 3600_000);

  const problem = (): string | null => {
    if (!me) return '正在加载，请稍候';
    if (!secretary && !me.household) return '请先绑定住户';
    if (title.trim().length < 2) return '请填写任务名称（至少 2 个字）';
    if (Number.isNaN(startAt.getTime())) return '请选择开始时间';
    if (endAt.getTime() <= Date.now()) return '结束时间须晚于现在';
    if (!secretary && !asking && balance !== null && balance < escrow) return `时长不足：需托管 ${hoursText(escrow)}，余额 ${hoursText(balance)}；可以选“请社区出时长”`;
    return null;
  };

  const pickPlace = async () => {
    const place = isWeapp ? await chooseOnMap() : await currentPlace();
    if (!place?.location) return;
    setLocation(place.location);
    if (!address.trim()) setAddress(place.address);
  };

  const submit = async () => {
    if (sending) return;
    const message = problem();
    if (message) {
      void Taro.showToast({ title: message, icon: 'none' });
      return;
    }
    const body: CreateTaskBody = {
      title: title.trim(),
      description: description.trim(),
      startAt: startAt.toISOString(),
      endAt: endAt.toISOString(),
      hours,
      capacity,
      ...(asking ? { requestFunding: true } : { fundedBy: secretary ? 'community' : 'resident' }),
    };
    if (location) body.location = { ...location, address: address.trim() || undefined };
    else if (address.trim()) body.description = `${body.description}${body.description ? '\n' : ''}地点：${address.trim()}`;
    setSending(true);
    try {
      const task = await postTask(body);
      void Taro.showToast({ title: asking ? '已提交，等社区审核' : '已发布', icon: asking ? 'none' : 'success' });
      void Taro.redirectTo({ url: taskDetailUrl(task.id) });
    } catch {
      // toasted (balance too low…); the form stays
      if (!secretary) getMyTimebank().then((page) => setBalance(page.balanceHours)).catch(() => undefined);
    } finally {
      setSending(false);
    }
  };

  return (
    <View id="task-new-page" className={pageClass('page task-new')}>
      {secretary ? (
        <View className="card task-new__who muted">以社区名义发布，志愿者的时长由社区时间银行账户支付。</View>
      ) : (
        <View id="task-new-funding" className="card task-new__who">
          <Text className="card-title">谁来出时长</Text>
          <View className="muted">
            {balance === null ? '正在查询您的时长…' : `您现在有 ${hoursText(balance)}。`}
            {short ? '不够支付这次求助也没关系：可以请社区出时长，社区书记审核后就会发布给志愿者。' : ''}
          </View>
          <Choices
            idPrefix="task-new-funding"
            wide
            items={[
              { key: 'mine', label: `用我的时长（每人 ${hoursText(hours)} × ${capacity} 人，先托管）` },
              { key: 'community', label: '请社区出时长（社区书记审核后发布）' },
            ]}
            selected={asking ? 'community' : 'mine'}
            onSelect={(key) => setAskCommunity(key === 'community')}
          />
          <View className="muted">
            {asking
              ? '社区同意后志愿者才能报名；不同意时会告诉您原因。'
              : '任务结束后未用的时长退回。居民之间的求助只转移时长，不产生文明积分。'}
          </View>
        </View>
      )}

      <View className="section-title">1. 任务名称</View>
      <View id="task-new-title" className="card task-new__field">
        <Input placeholder="如：帮忙代买药品" value={title} maxLength={60} onChange={setTitle} />
      </View>

      <View className="section-title">2. 需要做什么</View>
      <View id="task-new-description" className="card task-new__field">
        <TextArea placeholder="说说要做的事、注意事项、需要带什么" value={description} maxLength={2000} rows={3} autoSize onChange={setDescription} />
      </View>

      <View className="section-title">3. 开始时间</View>
      <View className="task-new__when">
        <Picker mode="date" value={date} start={dateText(new Date())} onChange={(e) => setDate(String(e.detail.value))}>
          <View id="task-new-date" className="card task-new__picker">
            <Text className="task-new__picker-label">日期</Text>
            {date}
          </View>
        </Picker>
        <Picker mode="time" value={time} onChange={(e) => setTime(String(e.detail.value))}>
          <View id="task-new-time" className="card task-new__picker">
            <Text className="task-new__picker-label">时间</Text>
            {time}
          </View>
        </Picker>
      </View>

      <View className="section-title">4. 每人服务时长（结束于 {timeText(endAt)}）</View>
      <Choices idPrefix="task-new-hours" items={HOURS.map((h) => ({ key: h, label: `${h} 小时` }))} selected={hours} onSelect={setHours} />

      <View className="section-title">5. 需要几人</View>
      <Choices idPrefix="task-new-capacity" items={CAPACITIES.map((n) => ({ key: n, label: `${n} 人` }))} selected={capacity} onSelect={setCapacity} />

      <View className="section-title">6. 地点</View>
      <View id="task-new-address" className="card task-new__field task-new__place">
        <Input placeholder="如：3号楼2单元门口" value={address} maxLength={200} onChange={setAddress} />
        <Text id="task-new-locate" className="task-new__locate" onClick={() => void pickPlace()}>
          {location ? '已定位 ✓' : isWeapp ? '地图选点' : '定位'}
        </Text>
      </View>

      <View className="card task-new__summary">
        <Text>
          志愿者每人最多得 {hoursText(hours)}
          {secretary ? `和 ${volunteerPoints('community', true, toMinutes(hours))} 积分` : ''}，按实际到场时长计
        </Text>
        {!secretary && !asking ? (
          <Text id="task-new-escrow" className="muted">
            需托管 {hoursText(escrow)}，当前余额 {balance === null ? '—' : hoursText(balance)}
          </Text>
        ) : null}
      </View>

      <View className="block-button">
        <Button id="task-new-submit" type="primary" size="large" block loading={sending} disabled={sending} onClick={() => void submit()}>
          {secretary ? '发布任务' : asking ? '提交求助，请社区出时长' : '发布求助'}
        </Button>
      </View>
    </View>
  );
}

export default restricted(NewTask, mayPostTask);
