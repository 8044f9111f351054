import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { ReportForm } from '../../components/ReportForm';
import { useMe } from '../../hooks/useMe';
import { useUnread } from '../../hooks/useUnread';
import { MY_REPORTS_PAGE, reportDetailUrl } from '../../services/reports';
import { toastSubmitted } from '../../services/moderation';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

/** The 说事 tab: file a report. */
export default function Report() {
  const { me } = useMe();
  useUnread();
  const hasHousehold = !!me?.household;

  return (
    <View id="report-page" className={pageClass('page report')}>
      <View className="report__intro">
        <View className="report__intro-main">
          <Text className="report__title">身边有问题，随手说一说</Text>
          <Text className="report__subtitle">网格员受理、分流、办结，办完请您评价</Text>
        </View>
        <View id="report-mine-link" className="report__mine" onClick={() => void Taro.navigateTo({ url: MY_REPORTS_PAGE })}>
          我的说事 ›
        </View>
      </View>

      {me && !hasHousehold ? (
        <View id="report-bind-prompt" className="card report__bind">
          <View className="muted">绑定住户后，说事会直接派给您家所在网格的网格员；未绑定也可以在网格图上点选问题位置。</View>
          <View className="block-button">
            <Button size="small" type="primary" fill="outline" onClick={() => void Taro.navigateTo({ url: '/pages/bind/index' })}>
              绑定住户
            </Button>
          </View>
        </View>
      ) : null}

      <ReportForm
        hasHousehold={hasHousehold}
        onFiled={(report) => {
          toastSubmitted(report, '已提交');
          void Taro.navigateTo({ url: reportDetailUrl(report.id) });
        }}
      />
    </View>
  );
}
