import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n';
import { conversation } from '../../test/fakeWails';
import { ContextDetails } from './ContextPanel';

describe('ContextPanel', () => {
  it('lists every ext field with translated labels for known keys', () => {
    const conv = conversation({
      handoff_reason: 'customer asked for an agent',
      ext: {
        source: 'https://shop.example.com/orders/1',
        order_no: 'SO-1',
        user_id: 'u-9',
        ticket_no: 'T-3',
        coupon: '<b>SPRING</b>',
      },
    });
    render(
      <I18nProvider lang="zh-CN">
        <ContextDetails conv={conv} />
      </I18nProvider>,
    );
    const ext = screen
      .getAllByTestId('ctx-field')
      .filter((f) => f.dataset.group === 'ext')
      .map((f) => [
        f.dataset.key,
        f.querySelector('dt')?.textContent,
        f.querySelector('dd')?.textContent,
      ]);
    expect(ext).toEqual([
      ['source', '来源页面', 'https://shop.example.com/orders/1'],
      ['order_no', '订单号', 'SO-1'],
      ['user_id', '用户 ID', 'u-9'],
      ['ticket_no', '工单号', 'T-3'],
      ['coupon', 'coupon', '<b>SPRING</b>'],
    ]);
    const field = (key: string) =>
      screen.getAllByTestId('ctx-field').find((f) => f.dataset.key === key);
    expect(field('handoff_reason')).toHaveTextContent('customer asked for an agent');
    expect(field('team')).toHaveTextContent('售前');
    expect(field('customer_name')).toHaveTextContent('Customer One');
    expect(screen.getByRole('link')).toHaveAttribute('href', 'https://shop.example.com/orders/1');
  });
});
