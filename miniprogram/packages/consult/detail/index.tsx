import { useCallback, useEffect, useRef, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro, { useDidHide, useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import {
  COMMENT_MAX_LENGTH,
  CONSULTATION_EVENT_LABELS,
  formatAreaM2,
  mayReviewConsultations,
  OUTCOME_LABELS,
  participationText,
  thresholdLines,
  VOTE_METHOD_LABELS,
  VOTE_METHODS,
  VOTING_RULE_EXPLANATIONS,
  VOTING_RULE_LABELS,
  type ConsultationAction,
  type ConsultationComment,
  type ConsultationDetail,
  type ConsultationStatus,
} from '@linli/shared';
import { ConsultStatusTag } from '../../../components/ConsultStatusTag';
import { LoadFailed } from '../../../components/LoadFailed';
import { ModerationMark, ModerationNotice } from '../../../components/ModerationNotice';
import { PhotoGrid } from '../../../components/PhotoGrid';
import { ShareBar } from '../../../components/ShareBar';
import { showError } from '../../../services/api';
import { ensureSession } from '../../../services/auth';
import {
  getConsultation,
  hideComment,
  isStale,
  percent,
  runConsultationAction,
  type ConsultationActionBody,
} from '../../../services/consultations';
import { toastSubmitted } from '../../../services/moderation';
import { reportDetailUrl } from '../../../services/reports';
import { useMe } from '../../../hooks/useMe';
import { formatTime, timeAgo } from '../../../utils/time';
import { ACTION_BUTTON_LABELS, ConsultActionForm, FORM_ACTIONS, type FormAction } from './ConsultActionForm';
import { BallotForm } from './BallotForm';
import { Countdown } from './Countdown';
import './index.scss';
import { pageClass } from '../../../hooks/useElderMode';

const POLL_MS = 10_000;

const DONE_TOASTS: Record<ConsultationAction, string> = {
  cosign: '已联名支持',
  withdraw: '已撤回',
  approve: '已通过审议',
  reject: '已不予通过',
  comment: '已发表',
  vote: '已投票',
  ballot: '已代录',
  close: '已结束投票',
  implement: '已开始落实',
  progress: '已记录进展',
  complete: '已落实完成',
};

const PHASES = ['提议题', '审议题', '议议题', '落议题'] as const;
/** Which of the four phases a status is in, and whether that phase is finished. */
const PHASE_OF: Record<ConsultationStatus, { index: number; done: boolean }> = {
  proposed: { index: 0, done: false },
  in_review: { index: 1, done: false },
  withdrawn: { index: 1, done: false },
  rejected: { index: 1, done: false },
  discussing: { index: 2, done: false },
  decided: { index: 2, done: true },
  implementing: { index: 3, done: false },
  completed: { index: 3, done: true },
};

function isPageVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

/** A consultation in every phase: proposal and co-signing, review, voting and comments, outcome, implementation. */
export default function ConsultationDetailPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  const { me } = useMe();
  const isSecretary = mayReviewConsultations(me);
  const [detail, setDetail] = useState<ConsultationDetail | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState<FormAction | null>(null);
  const [hiding, setHiding] = useState<ConsultationComment | null>(null);
  const [recording, setRecording] = useState(false);
  const [comment, setComment] = useState('');
  const visible = useRef(true);

  const load = useCallback(
    async (silent = false) => {
      if (!silent) setFailed(false);
      try {
        if (!(await ensureSession())) return;
        setDetail(await getConsultation(id, { silent }));
      } catch {
        if (!silent) setFailed(true);
      }
    },
    [id],
  );

  useEffect(() => {
    void load();
  }, [load]);
  useDidShow(() => {
    visible.current = true;
  });
  useDidHide(() => {
    visible.current = false;
  });
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  // While voting is open, the tally and comments move: refresh every 10 s while the page is in front.
  const discussing = detail?.status === 'discussing';
  useEffect(() => {
    if (!discussing) return undefined;
    const timer = setInterval(() => {
      if (visible.current && isPageVisible()) void load(true);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [discussing, load]);

  /** `done` replaces the plain success toast, e.g. to say that a comment waits for review. */
  const run = async <A extends ConsultationAction>(action: A, body: ConsultationActionBody<A>, done?: (updated: ConsultationDetail) => void): Promise<boolean> => {
    if (!detail || busy) return false;
    setBusy(true);
    try {
      const updated = await runConsultationAction(detail, action, body);
      setDetail(updated);
      setForm(null);
      if (done) done(updated);
      else void Taro.showToast({ title: DONE_TOASTS[action], icon: 'success' });
      return true;
    } catch (error) {
      if (isStale(error)) {
        setForm(null);
        // The server's message says what happened (投票已截止, 已联名…); the page shows the current state.
        showError(error);
        await load(true);
      } else {
        showError(error);
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  const hide = async (reason: string): Promise<boolean> => {
    if (!detail || !hiding || busy) return false;
    setBusy(true);
    try {
      setDetail(await hideComment(detail.id, hiding.id, reason));
      setHiding(null);
      void Taro.showToast({ title: '已隐藏', icon: 'success' });
      return true;
    } catch (error) {
      showError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const confirmThen = async (title: string, content: string, then: () => Promise<unknown>) => {
    const { confirm } = await Taro.showModal({ title, content, confirmColor: '#c23b17' });
    if (confirm) await then();
  };

  const sendComment = async () => {
    const body = comment.trim();
    if (!body) {
      void Taro.showToast({ title: '请先写下您的意见', icon: 'none' });
      return;
    }
    const sent = await run('comment', { body }, (updated) => {
      // The newest comment of mine is the one just sent; held, only I (and the reviewers) see it.
      const mine = updated.comments.filter((item) => item.author?.id === me?.id).at(-1);
      toastSubmitted(mine ?? { moderation: 'clear' }, DONE_TOASTS.comment, 'comment');
    });
    if (sent) setComment('');
  };

  if (!detail) {
    return (
      <View id="consult-detail-page" className={pageClass('page')}>
        {failed ? <LoadFailed onRetry={() => void load()} /> : <View className="card muted">正在加载…</View>}
      </View>
    );
  }

  const { actions, tally, status } = detail;
  const phase = PHASE_OF[status];
  const isProposer = me?.id === detail.proposer.id;
  const formActions = FORM_ACTIONS.filter((action) => actions.includes(action));
  const votingShown = ['discussing', 'decided', 'implementing', 'completed'].includes(status);
  const implementationShown = status === 'implementing' || status === 'completed';
  const canVote = actions.includes('vote');
  const canComment = actions.includes('comment');
  const inFavourVotes = tally.byOption[0]?.votes ?? 0;
  // Area is shown once the scope has areas (a Civil Code vote always has them).
  const withArea = tally.eligibleAreaM2 > 0;
  const inFavourArea = withArea ? ` · ${formatAreaM2(tally.byOption[0]?.areaM2 ?? 0)} ㎡` : '';
  const outcomeText =
    `${tally.eligibleHouseholds} 户中 ${tally.votedHouseholds} 户参与（${percent(tally.votedHouseholds, tally.eligibleHouseholds)}%），` +
    `“${tally.byOption[0]?.label ?? '赞成'}” ${inFavourVotes} 票${inFavourArea}（占参与户数的 ${percent(inFavourVotes, tally.votedHouseholds)}%）`;
  const byMethodText = VOTE_METHODS.filter((m) => tally.byMethod[m] > 0)
    .map((m) => `${VOTE_METHOD_LABELS[m]} ${tally.byMethod[m]} 户`)
    .join(' · ');
  const optionsById = new Map(detail.options.map((o) => [o.id, o.label]));
  const recordBallot = (body: ConsultationActionBody<'ballot'>) =>
    run('ballot', body, (updated) => {
      setRecording(false);
      const replaced = updated.timeline.at(-1)?.note?.includes('替换');
      void Taro.showToast({ title: replaced ? '已代录，替换了该户此前的投票' : DONE_TOASTS.ballot, icon: replaced ? 'none' : 'success' });
    });
  const closedEarly = !!detail.votingEndsAt && new Date(detail.votingEndsAt).getTime() > Date.now();

  return (
    <View id="consult-detail-page" className={`page consult-detail consult-detail--${status}`}>
      <ModerationNotice id="consult-moderation" subject="consultation" state={detail.moderation} />
      <View className="card consult-detail__header">
        <View className="consult-detail__top">
          <Text className="consult-detail__scope">
            {detail.scopeName}
          </Text>
          <View id="consult-status">
            <ConsultStatusTag status={status} />
          </View>
        </View>
        <View id="consult-title-text" className="consult-detail__title">
          {detail.title}
        </View>
        <View className="consult-detail__meta muted">
          {detail.proposer.nickname} 提议 · {formatTime(detail.createdAt)}
        </View>
        <View id="consult-description-text" className="consult-detail__description">
          {detail.description}
        </View>
        {detail.reportId ? (
          <View id="consult-report-link" className="consult-detail__report" onClick={() => void Taro.navigateTo({ url: reportDetailUrl(detail.reportId as number) })}>
            由居民说事转来 · 查看原说事 ›
          </View>
        ) : null}
      </View>

      <View id="consult-phases" className="card consult-phases">
        {PHASES.map((name, index) => {
          const state = index < phase.index || (index === phase.index && phase.done) ? 'is-done' : index === phase.index ? 'is-current' : '';
          return (
            <View key={name} className={`consult-phases__step ${state}`}>
              <View className="consult-phases__dot">{state === 'is-done' ? '✓' : index + 1}</View>
              <Text className="consult-phases__name">{name}</Text>
            </View>
          );
        })}
      </View>

      {status === 'proposed' ? (
        <View id="consult-support-card" className="card">
          <Text className="card-title">征集联名</Text>
          <ShareBar id="consult-supporters" label="已联名" part={detail.supporters} whole={detail.supportThreshold} unit="户" fraction highlight />
          <View className="muted consult-detail__hint">
            {detail.supporters >= detail.supportThreshold
              ? '联名已够，即将提交社区书记审议。'
              : `还差 ${detail.supportThreshold - detail.supporters} 户联名，就会提交社区书记审议。`}
          </View>
          {actions.includes('cosign') ? (
            <View className="block-button">
              <Button id="action-cosign" type="primary" size="large" block loading={busy} disabled={busy} onClick={() => void run('cosign', {})}>
                联名支持
              </Button>
            </View>
          ) : me?.household && !isSecretary ? (
            <View id="consult-supported" className="consult-detail__done">
              {isProposer ? '✓ 您是提议人，已计入联名' : '✓ 您家已联名支持'}
            </View>
          ) : null}
        </View>
      ) : null}

      {status === 'in_review' ? (
        <View id="consult-review-card" className="card">
          <Text className="card-title">{actions.includes('approve') ? '请您审议' : '等待社区审议'}</Text>
          <View className="muted">
            {actions.includes('approve')
              ? `已有 ${detail.supporters} 户联名。审议通过时定好表决选项、截止时间和表决规则；不予通过请写明理由。`
              : `已有 ${detail.supporters} 户联名。社区书记审议通过后，会定好表决选项和截止时间，范围内每户一票。`}
          </View>
        </View>
      ) : null}

      {status === 'rejected' ? (
        <View id="consult-rejected" className="card consult-detail__rejected">
          <Text className="card-title">未通过审议</Text>
          <View className="consult-detail__reason">理由：{detail.rejectReason ?? '—'}</View>
        </View>
      ) : null}

      {status === 'withdrawn' ? (
        <View id="consult-withdrawn" className="card muted">
          提议人已撤回这个议题。
        </View>
      ) : null}

      {implementationShown || detail.plan ? (
        <View id="consult-implementation" className="card consult-implementation">
          <Text className="card-title">落实情况</Text>
          {detail.plan ? (
            <View className="consult-implementation__block">
              <Text className="consult-implementation__label">落实方案</Text>
              <View id="consult-plan" className="consult-implementation__text">
                {detail.plan}
              </View>
            </View>
          ) : null}
          {detail.owner ? (
            <View className="consult-implementation__block">
              <Text className="consult-implementation__label">负责人</Text>
              <Text id="consult-owner" className="consult-implementation__text">
                {detail.owner.nickname}
              </Text>
            </View>
          ) : null}
          {detail.progress.length > 0 ? (
            <View id="consult-progress" className="timeline">
              {[...detail.progress].reverse().map((entry, index) => (
                <View key={entry.id} className={`timeline__item progress-entry ${index === 0 ? 'is-latest' : ''}`}>
                  <View className="timeline__dot" />
                  <View className="timeline__body">
                    <View className="timeline__head">
                      <Text className="timeline__action">{entry.author.nickname}</Text>
                      <Text className="timeline__time muted">{formatTime(entry.createdAt)}</Text>
                    </View>
                    <View className="timeline__note">{entry.note}</View>
                    <PhotoGrid block="consult-photos" urls={entry.photos} />
                  </View>
                </View>
              ))}
            </View>
          ) : implementationShown ? (
            <View className="muted consult-detail__hint">还没有进展记录。</View>
          ) : null}
          {detail.summary ? (
            <View className="consult-implementation__block consult-implementation__summary">
              <Text className="consult-implementation__label">落实结果</Text>
              <View id="consult-summary" className="consult-implementation__text">
                {detail.summary}
              </View>
            </View>
          ) : null}
        </View>
      ) : null}

      {formActions.length > 0 || actions.includes('withdraw') ? (
        <View id="consult-actions" className="card consult-detail__actions">
          {formActions.map((action, index) => (
            <Button
              key={action}
              id={`action-${action}`}
              className={`action-button action-${action}`}
              type={index === 0 ? 'primary' : 'default'}
              disabled={busy}
              onClick={() => setForm(action)}
            >
              {ACTION_BUTTON_LABELS[action]}
            </Button>
          ))}
          {actions.includes('withdraw') ? (
            <Button
              id="action-withdraw"
              type="default"
              disabled={busy}
              onClick={() => void confirmThen('撤回议题', '撤回后联名作废，不能恢复。确定撤回吗？', () => run('withdraw', {}))}
            >
              撤回议题
            </Button>
          ) : null}
        </View>
      ) : null}

      {votingShown ? (
        <View id="consult-voting" className="card consult-voting">
          <View className="consult-voting__head">
            <Text className="card-title">{status === 'discussing' ? '协商表决' : '表决结果'}</Text>
            {status === 'discussing' && detail.votingEndsAt ? <Countdown endsAt={detail.votingEndsAt} onEnd={() => void load(true)} /> : null}
          </View>
          {detail.rule ? (
            <View id="consult-rule" className="consult-voting__rule muted">
              表决规则：{VOTING_RULE_LABELS[detail.rule]}
            </View>
          ) : null}
          {detail.votingEndsAt ? (
            <View className="consult-voting__rule muted">
              {status !== 'discussing' && closedEarly ? `已提前结束（原定 ${formatTime(detail.votingEndsAt)} 截止）` : `截止时间：${formatTime(detail.votingEndsAt)}`}
            </View>
          ) : null}

          {detail.outcome ? (
            <View id="consult-outcome" className={`consult-outcome consult-outcome--${detail.outcome}`}>
              <Text id="consult-outcome-label" className="consult-outcome__label">
                {OUTCOME_LABELS[detail.outcome]}
              </Text>
              <Text className="consult-outcome__text">{outcomeText}</Text>
            </View>
          ) : null}

          <ShareBar
            id="consult-participation"
            className="consult-voting__participation"
            label="参与投票"
            part={tally.votedHouseholds}
            whole={tally.eligibleHouseholds}
            unit="户"
            fraction
            highlight
          />
          {withArea ? (
            <>
              <ShareBar
                id="consult-participation-area-bar"
                className="consult-voting__area-bar"
                label="参与面积"
                part={tally.votedAreaM2}
                whole={tally.eligibleAreaM2}
                unit="㎡"
                format={formatAreaM2}
                fraction
              />
              <View id="consult-participation-area" className="consult-voting__area">
                {participationText(tally)}
              </View>
            </>
          ) : null}
          {byMethodText ? (
            <View id="consult-methods" className="consult-voting__methods muted">
              {byMethodText}
            </View>
          ) : null}
          {detail.rule ? (
            <View id="consult-thresholds" className="consult-thresholds">
              <View className="consult-thresholds__title">通过条件</View>
              {thresholdLines(detail.rule, tally).map((line) => (
                <View key={line} className="consult-thresholds__line">
                  {line}
                </View>
              ))}
              <View className="consult-thresholds__explain muted">{VOTING_RULE_EXPLANATIONS[detail.rule]}</View>
            </View>
          ) : null}

          <View className="consult-voting__options-title muted">
            {canVote ? (detail.myVoteOptionId ? '您家已投票，截止前可以改投：' : '请选择您家的意见（每户一票）：') : '各选项得票：'}
          </View>
          <View id="consult-options">
            {tally.byOption.map((option, index) => {
              const mine = option.optionId === detail.myVoteOptionId;
              return (
                <View
                  key={option.optionId}
                  id={`vote-option-${index}`}
                  className={`vote-option ${mine ? 'is-mine' : ''} ${canVote ? 'is-votable' : ''}`}
                  onClick={() => {
                    if (canVote && !mine && !busy) void run('vote', { optionId: option.optionId });
                  }}
                >
                  <View className="vote-option__head">
                    <View className="vote-option__radio">{mine ? '✓' : ''}</View>
                    <Text className="vote-option__label">{option.label}</Text>
                    {mine ? <Text className="vote-option__mine">我家的选择</Text> : null}
                    <Text className="vote-option__count">
                      {option.votes} 票{withArea ? ` · ${formatAreaM2(option.areaM2)} ㎡` : ''}
                    </Text>
                  </View>
                  <View className="vote-option__track">
                    <View className="vote-option__fill" style={{ width: `${percent(option.votes, tally.votedHouseholds)}%` }} />
                  </View>
                </View>
              );
            })}
          </View>
          {detail.voteRefusal ? (
            <View id="consult-vote-refusal" className="consult-detail__refusal">
              {detail.voteRefusal}
            </View>
          ) : status === 'discussing' && !canVote && !isSecretary && !actions.includes('ballot') ? (
            <View className="muted consult-detail__hint">{me?.household ? '投票已截止。' : '绑定本范围内的住户后才能投票。'}</View>
          ) : null}
          {actions.includes('ballot') ? (
            <View className="block-button">
              <Button id="action-ballot" type="primary" block disabled={busy} onClick={() => setRecording(true)}>
                代录书面表决 / 委托投票
              </Button>
            </View>
          ) : null}
          {detail.ballots && detail.ballots.length > 0 ? (
            <View id="consult-ballots" className="consult-ballots">
              <View className="consult-ballots__title">工作人员代录（{detail.ballots.length} 户）</View>
              {detail.ballots.map((ballot) => (
                <View key={ballot.householdId} className="consult-ballot">
                  <View className="consult-ballot__head">
                    <Text className="consult-ballot__household">{ballot.household}</Text>
                    <Text className={`consult-ballot__method consult-ballot__method--${ballot.method}`}>{VOTE_METHOD_LABELS[ballot.method]}</Text>
                    <Text className="consult-ballot__option">{optionsById.get(ballot.optionId) ?? ''}</Text>
                  </View>
                  <View className="consult-ballot__meta muted">
                    {ballot.recordedBy.nickname} 代录 · {formatTime(ballot.recordedAt)}
                    {ballot.note ? ` · ${ballot.note}` : ''}
                  </View>
                  <PhotoGrid block="consult-photos" urls={ballot.photos} />
                </View>
              ))}
            </View>
          ) : null}
          {actions.includes('close') ? (
            <View className="block-button">
              <Button
                id="action-close"
                type="default"
                block
                disabled={busy}
                onClick={() =>
                  void confirmThen('提前结束投票', `现有 ${tally.votedHouseholds}/${tally.eligibleHouseholds} 户投票，结束后按规则计算结果，不能再投。确定结束吗？`, () =>
                    run('close', {}),
                  )
                }
              >
                提前结束投票
              </Button>
            </View>
          ) : null}
        </View>
      ) : null}

      {votingShown ? (
        <>
          <View className="section-title">
            邻居们的意见{detail.comments.length ? `（${detail.comments.length}）` : ''}
          </View>
          <View id="consult-comments" className="card consult-comments">
            {detail.comments.length === 0 ? <View className="muted consult-comments__empty">还没有人发表意见。</View> : null}
            <View className="consult-comments__list">
              {detail.comments.map((item) => (
                <View key={item.id} id={`comment-${item.id}`} className={`consult-comment ${item.hidden ? 'is-hidden' : ''}`}>
                  <View className="consult-comment__head">
                    <Text className="consult-comment__author">{item.author?.nickname ?? '居民'}</Text>
                    <Text className="consult-comment__time muted">{timeAgo(item.createdAt)}</Text>
                    {!item.hidden ? <ModerationMark state={item.moderation} className="comment-moderation" /> : null}
                    {isSecretary && !item.hidden ? (
                      <Text className="consult-comment__hide comment-hide" onClick={() => setHiding(item)}>
                        隐藏
                      </Text>
                    ) : null}
                  </View>
                  {item.hidden ? (
                    <>
                      <View className="consult-comment__hidden">该评论已被隐藏：{item.hiddenReason ?? ''}</View>
                      {item.body !== null ? <View className="consult-comment__body consult-comment__body--hidden">{item.body}</View> : null}
                    </>
                  ) : (
                    <View className="consult-comment__body">{item.body}</View>
                  )}
                </View>
              ))}
            </View>
            {canComment ? (
              <View id="comment-composer" className="consult-comments__composer">
                <View id="comment-input" className="consult-comments__input">
                  <TextArea
                    placeholder="说说您的看法，请文明发言"
                    value={comment}
                    onChange={(value) => setComment(value)}
                    maxLength={COMMENT_MAX_LENGTH}
                    rows={2}
                    autoSize
                  />
                </View>
                <View className="consult-comments__bar">
                  <Text id="comment-count" className={`consult-comments__count ${comment.length >= COMMENT_MAX_LENGTH ? 'is-full' : ''}`}>
                    {comment.length}/{COMMENT_MAX_LENGTH}
                  </Text>
                  <Button id="comment-send" size="small" type="primary" disabled={busy || !comment.trim()} onClick={() => void sendComment()}>
                    发表
                  </Button>
                </View>
              </View>
            ) : null}
          </View>
        </>
      ) : null}

      {detail.timeline.length > 0 ? (
        <>
          <View className="section-title">议事记录</View>
          <View id="consult-timeline" className="card timeline">
            {[...detail.timeline].reverse().map((entry, index) => (
              <View key={entry.id} className={`timeline__item timeline-entry timeline-entry--${entry.action} ${index === 0 ? 'is-latest' : ''}`}>
                <View className="timeline__dot" />
                <View className="timeline__body">
                  <View className="timeline__head">
                    <Text className="timeline__action">
                      {CONSULTATION_EVENT_LABELS[entry.action] ?? '记录'}
                      {entry.actor ? ` · ${entry.actor.nickname}` : ''}
                    </Text>
                    <Text className="timeline__time muted">{formatTime(entry.createdAt)}</Text>
                  </View>
                  {entry.note ? <View className="timeline__note">{entry.note}</View> : null}
                </View>
              </View>
            ))}
          </View>
        </>
      ) : null}

      {recording ? <BallotForm consultation={detail} busy={busy} onClose={() => setRecording(false)} onSubmit={recordBallot} /> : null}
      {form ? <ConsultActionForm action={form} consultation={detail} busy={busy} onClose={() => setForm(null)} onSubmit={run} onHide={hide} /> : null}
      {hiding ? (
        <ConsultActionForm action="hide" consultation={detail} busy={busy} onClose={() => setHiding(null)} onSubmit={run} onHide={hide} />
      ) : null}
    </View>
  );
}
