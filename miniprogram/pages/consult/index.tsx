import { ComingSoon } from '../../components/ComingSoon';

export default function Consult() {
  return (
    <ComingSoon
      id="consult-page"
      title="议事功能即将开放"
      description="提议题、审议题、议议题、落议题：楼里的公共事务，邻居们一起商量、一起投票。敬请期待。"
    />
  );
}
