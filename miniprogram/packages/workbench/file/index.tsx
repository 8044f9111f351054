import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { mayFileOnBehalf } from '@linli/shared';
import { ReportForm } from '../../../components/ReportForm';
import { restricted } from '../../../components/Restricted';
import { reportDetailUrl } from '../../../services/reports';
import { toastSubmitted } from '../../../services/moderation';

/** Staff file a report heard through another channel (hotline, 说事点, patrol…), optionally for a resident. */
function FileOnBehalf() {
  return (
    <View id="file-on-behalf-page" className="page">
      <View className="muted section-title">居民通过电话、说事点、走访等渠道反映的问题，在这里登记进入办理流程。</View>
      <ReportForm
        staff
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
