import { useEffect, useState } from 'react';
import { View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button, Cell, Input } from '@nutui/nutui-react-taro';
import { DEMO_LOGINS } from '@linli/shared';
import { devLogin, getAuthOptions, isWeapp, wechatLogin, type AuthOptions } from '../../services/auth';
import { HOME_PAGE } from '../../services/session';
import './index.scss';
import { pageClass } from '../../hooks/useElderMode';

const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export default function Login() {
  const [options, setOptions] = useState<AuthOptions | null>(null);
  const [optionsFailed, setOptionsFailed] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [openid, setOpenid] = useState('');

  const loadOptions = () => {
    setOptionsFailed(false);
    getAuthOptions()
      .then(setOptions)
      .catch(() => setOptionsFailed(true));
  };

  useEffect(loadOptions, []);

  const run = async (key: string, login: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(key);
    try {
      await login();
      await Taro.reLaunch({ url: HOME_PAGE });
    } catch {
      // The API client already showed what went wrong.
    } finally {
      setBusy(null);
    }
  };

  const submitOpenid = () => {
    const value = openid.trim();
    if (!OPENID_PATTERN.test(value)) {
      void Taro.showToast({ title: '账号只能包含字母、数字、_ 和 -', icon: 'none' });
      return;
    }
    void run('custom', () => devLogin(value));
  };

  const devOn = options?.devLogin === true;

  return (
    <View id="login-page" className={pageClass('page login')}>
      <View className="login__brand">
        <Text className="login__logo">邻里</Text>
        <Text className="login__tagline">网格化基层治理 · 有事好商量</Text>
      </View>

      {optionsFailed ? (
        <View id="login-options-failed" className="card">
          <Text className="card-title">无法连接服务器</Text>
          <View className="block-button">
            <Button type="primary" size="large" block onClick={loadOptions}>
              重试
            </Button>
          </View>
        </View>
      ) : null}

      {!options && !optionsFailed ? <View className="card muted">正在加载…</View> : null}

      {isWeapp && options ? (
        <View className="card">
          <Button
            id="login-wechat"
            className="login-wechat"
            type="primary"
            size="large"
            block
            loading={busy === 'wechat'}
            disabled={!options.wechatLogin}
            onClick={() => void run('wechat', wechatLogin)}
          >
            微信一键登录
          </Button>
          {!options.wechatLogin ? <View className="muted login__note">服务器未配置微信登录。</View> : null}
        </View>
      ) : null}

      {options && !devOn && !isWeapp ? (
        <View id="login-dev-off" className="card login-dev-off">
          <Text className="card-title">开发登录未开启</Text>
          <View className="muted">
            网页版仅用于开发和演示，需要服务器开启开发登录（DEV_LOGIN）。请在微信中打开“邻里”小程序使用。
          </View>
        </View>
      ) : null}

      {devOn ? (
        <View id="login-dev" className="login-dev">
          <View className="section-title">选择演示账号登录（开发模式）</View>
          <Cell.Group>
            {DEMO_LOGINS.map((user) => (
              <Cell
                key={user.openid}
                className={`login-user login-user-${user.openid}`}
                title={user.nickname}
                description={user.hint}
                extra={busy === user.openid ? '登录中…' : user.openid}
                clickable
                onClick={() => void run(user.openid, () => devLogin(user.openid))}
              />
            ))}
          </Cell.Group>

          <View className="section-title">或输入任意账号（新账号将自动注册为居民）</View>
          <View className="card login__custom">
            <Input
              className="login-openid-input"
              name="openid"
              placeholder="例如 my-test-user"
              value={openid}
              maxLength={64}
              clearable
              onChange={setOpenid}
              onConfirm={submitOpenid}
            />
            <View className="block-button">
              <Button
                id="login-openid-submit"
                className="login-openid-submit"
                type="primary"
                size="large"
                block
                loading={busy === 'custom'}
                onClick={submitOpenid}
              >
                登录
              </Button>
            </View>
          </View>
        </View>
      ) : null}
    </View>
  );
}
