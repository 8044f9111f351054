import { useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Input } from '@nutui/nutui-react-taro';
import { mayFileOnBehalf, mayVerifyMemberships, phoneNumber, type ResidentView } from '@linli/shared';
import { Choices } from '../../../components/Choices';
import { ReportForm, type FiledFor } from '../../../components/ReportForm';
import { restricted } from '../../../components/Restricted';
import { ResidentPicker } from '../../../components/ResidentPicker';
import { useMe } from '../../../hooks/useMe';
import { reportDetailUrl } from '../../../services/reports';
import { toastSubmitted } from '../../../services/moderation';
import { RegisterResident } from './RegisterResident';
import './index.scss';

type Whom = 'resident' | 'caller' | 'none';
const WHOM_CHOICES: Array<{ key: Whom; label: string }> = [
  { key: 'resident', label: '已登记居民' },
  { key: 'caller', label: '未登记的人' },
  { key: 'none', label: '不指定' },
];

/**
 * Staff file a report heard through another channel (hotline, 说事点, patrol…): for a resident found by
 * name, phone tail or room (or registered here when not found), for a caller who is not registered
 * (name and phone kept on the report), or for nobody in particular.
 */
function FileOnBehalf() {
  const { me } = useMe();
  const [whom, setWhom] = useState<Whom>('resident');
  const [resident, setResident] = useState<ResidentView | null>(null);
  const [registering, setRegistering] = useState<string | null>(null);
  const [callerName, setCallerName] = useState('');
  const [callerPhone, setCallerPhone] = useState('');
  // Finding people is for the staff who may (grid workers, secretaries, admins); others file for nobody in particular.
  const mayFind = !!me && mayVerifyMemberships(me.roles);
  const choices = mayFind ? WHOM_CHOICES : WHOM_CHOICES.filter((c) => c.key !== 'resident');
  const chosen = mayFind || whom !== 'resident' ? whom : 'caller';

  const filedFor: FiledFor = {
    node: (
      <View id="file-whom" className="file__whom">
        <View className="section-title">为谁登记</View>
        <Choices idPrefix="file-whom" items={choices} selected={chosen} onSelect={setWhom} />
        {chosen === 'resident' ? (
          registering !== null ? (
            <RegisterResident
              initialName={registering}
              onCancel={() => setRegistering(null)}
              onRegistered={(person) => {
                setRegistering(null);
                setResident(person);
              }}
            />
          ) : (
            <>
              <ResidentPicker
                idPrefix="file-resident"
                selected={resident}
                onSelect={setResident}
                callable
                notFound={(q) => (
                  <View id="file-register-new" className="file__register-link" onClick={() => setRegistering(q)}>
                    没有这位居民？登记新居民 ›
                  </View>
                )}
              />
              {!resident ? (
                <View id="file-register-open" className="muted file__register-hint" onClick={() => setRegistering('')}>
                  居民没有登记过？<Text className="file__link">登记新居民</Text>
                </View>
              ) : null}
            </>
          )
        ) : null}
        {chosen === 'caller' ? (
          <View id="file-caller" className="card file__caller">
            <View className="muted">来电或来访的人没有在本社区登记时填写。姓名和电话只有办理的工作人员能看到（电话隐去中间四位）。</View>
            <View id="file-caller-name" className="file__field">
              <Input placeholder="姓名，如 钱阿婆" value={callerName} maxLength={32} onChange={setCallerName} />
            </View>
            <View id="file-caller-phone" className="file__field">
              <Input type="digit" placeholder="手机号（11 位，用于回访）" value={callerPhone} maxLength={13} onChange={setCallerPhone} />
            </View>
          </View>
        ) : null}
        {chosen === 'none' ? <View className="muted file__none">说事将记在您名下，按位置派给网格员。</View> : null}
      </View>
    ),
    fields: () => {
      if (chosen === 'resident') return resident ? { onBehalfOfUserId: resident.id } : { problem: '请找到并选择居民，或选「不指定」' };
      if (chosen === 'caller') {
        const phone = phoneNumber.safeParse(callerPhone);
        if (!callerName.trim()) return { problem: '请填写反映人的姓名' };
        if (!phone.success) return { problem: '请填写反映人的 11 位手机号' };
        return { caller: { name: callerName.trim(), phone: phone.data } };
      }
      return {};
    },
  };

  return (
    <View id="file-on-behalf-page" className="page file">
      <View className="muted section-title">居民通过电话、说事点、走访等渠道反映的问题，在这里登记进入办理流程。</View>
      <ReportForm
        staff
        filedFor={filedFor}
        hasHousehold={false}
        onFiled={(report) => {
          toastSubmitted(report, '已登记');
          void Taro.redirectTo({ url: reportDetailUrl(report.id) });
        }}
      />
    </View>
  );
}

export default restricted(FileOnBehalf, mayFileOnBehalf);
