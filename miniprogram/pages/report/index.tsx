import { ComingSoon } from '../../components/ComingSoon';

export default function Report() {
  return (
    <ComingSoon
      id="report-page"
      title="说事功能即将开放"
      description="身边有问题随手拍，网格员受理、研判、分流、调处，办结后请您评价。敬请期待。"
    />
  );
}
