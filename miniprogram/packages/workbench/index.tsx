import { ComingSoon } from '../../components/ComingSoon';

/** Staff workbench (网格员、社区书记、职能部门): a sub-package so residents never download it. */
export default function Workbench() {
  return (
    <ComingSoon
      id="workbench-page"
      title="工作台即将开放"
      description="网格员受理和处置说事、社区书记督办和审议议题、职能部门办理派单，都将在这里进行。"
    />
  );
}
