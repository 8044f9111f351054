import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { isOpenReport, type ReportSummary } from '@linli/shared';
import { reportDetailUrl } from '../services/reports';
import { formatTime } from '../utils/time';
import { ModerationMark } from './ModerationNotice';
import { StatusTag } from './StatusTag';
import './ReportRow.scss';

interface Props {
  report: ReportSummary;
  /** Staff see due and escalation marks and who filed it. */
  staff?: boolean;
}

/** One report in a list; tap opens its detail page. */
export function ReportRow({ report, staff }: Props) {
  return (
    <View
      id={`report-row-${report.id}`}
      className={`report-row card ${report.overdue && staff ? 'report-row--overdue' : ''}`}
      onClick={() => void Taro.navigateTo({ url: reportDetailUrl(report.id) })}
    >
      <View className="report-row__head">
        <Text className="report-row__category">{report.categoryName}</Text>
        <StatusTag status={report.status} />
      </View>
      <View className="report-row__text">{report.description}</View>
      <View className="report-row__marks">
        <ModerationMark state={report.moderation} />
        {staff && report.overdue ? <Text className="mark mark--danger">超期</Text> : null}
        {staff && report.escalationLevel > 0 ? <Text className="mark mark--warning">督办{report.escalationLevel}次</Text> : null}
        {staff && report.extensionRequest ? <Text className="mark mark--warning">延期待批</Text> : null}
        {staff && report.extended ? <Text className="mark">已延期</Text> : null}
        {report.followers > 0 ? <Text className="mark">{report.followers}人也遇到</Text> : null}
        {staff ? <Text className="mark mark--plain">{report.anonymous || !report.reporter ? '匿名' : report.reporter.nickname}</Text> : null}
      </View>
      <View className="report-row__foot muted">
        <Text className="report-row__number">{report.number}</Text>
        {/* Staff plan their day by the due time; residents see when they filed. */}
        {staff && report.dueAt && isOpenReport(report.status) ? <Text className="report-row__due">时限 {formatTime(report.dueAt)}</Text> : <Text>{formatTime(report.createdAt)}</Text>}
      </View>
    </View>
  );
}
