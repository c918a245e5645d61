import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { fenToYuanString, InlineError } from '@lumi/mini';
import type { ShopCategory, ShopItemKind } from '@lumi/shared';
import { useState } from 'react';
import { Field } from '../field.tsx';
import { ImagePicker } from './image-picker.tsx';
import { checkDraft, type ItemDraft, KIND_LABELS } from './item-draft.ts';

/** What a non-product item can stand for: a service (服务券), a package plan (次卡) or a top-up plan (充值). */
export interface ItemRefs {
  service_voucher: { id: string; name: string }[];
  package_card: { id: string; name: string }[];
  top_up_plan: { id: string; name: string; payFen: number }[];
}

export interface ItemFormProps {
  initial: ItemDraft;
  /** A new item picks its kind; an item's kind never changes. */
  isNew: boolean;
  categories: ShopCategory[];
  tiers: { id: string; name: string }[];
  stores: { id: string; name: string }[];
  refs: ItemRefs;
  busy: boolean;
  /** The API's refusal, in Chinese (catalogueErrorMessage). */
  actionError: string | null;
  onSave: (checked: Extract<ReturnType<typeof checkDraft>, { ok: true }>) => void;
}

const KINDS = Object.keys(KIND_LABELS) as ShopItemKind[];

const chip = (selected: boolean, label: string) => (selected ? `✓ ${label}` : label);

/**
 * 商品 (managers): category, kind (new items), what a voucher, card or top-up stands for, name, price, a member
 * price per tier, points price, description, picture, order, on or off sale, and a product's count per store.
 * Checked here in Chinese before sending; the API's refusal is shown the same way.
 */
export function ItemForm(props: ItemFormProps) {
  const { isNew, categories, tiers, stores, refs, busy } = props;
  const [draft, setDraft] = useState(props.initial);
  const change = (patch: Partial<ItemDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const tierNames = Object.fromEntries(tiers.map((t) => [t.id, t.name]));
  const checked = checkDraft(
    { ...draft, tierPrices: Object.fromEntries(tiers.map((t) => [t.id, draft.tierPrices[t.id] ?? ''])) },
    tierNames,
  );
  const problem = checked.ok ? null : checked.problem;
  const refOptions = draft.kind === 'product' ? [] : refs[draft.kind];

  function pickRef(id: string) {
    const plan = refs.top_up_plan.find((p) => p.id === id);
    // A top-up is sold at exactly its plan's amount.
    change(draft.kind === 'top_up_plan' && plan ? { refId: id, price: fenToYuanString(plan.payFen) } : { refId: id });
  }

  return (
    <View className="staff-shop">
      <View className="staff-shop__section">
        <Text className="staff-shop__title">分类</Text>
        <View className="staff-shop__chips">
          {categories.map((c) => (
            <Text key={c.id} className="staff-shop__chip" onClick={() => change({ categoryId: c.id })}>
              {chip(draft.categoryId === c.id, c.name)}
            </Text>
          ))}
        </View>
        {categories.length === 0 ? <Text className="staff-shop__note">请先新增分类</Text> : null}
        <Text className="staff-shop__title">类型</Text>
        {isNew ? (
          <View className="staff-shop__chips">
            {KINDS.map((k) => (
              <Text key={k} className="staff-shop__chip" onClick={() => change({ kind: k, refId: null })}>
                {chip(draft.kind === k, KIND_LABELS[k])}
              </Text>
            ))}
          </View>
        ) : (
          <Text>{KIND_LABELS[draft.kind]}</Text>
        )}
        {draft.kind !== 'product' ? (
          <View className="staff-shop__chips">
            {refOptions.map((r) => (
              <Text key={r.id} className="staff-shop__chip" onClick={() => pickRef(r.id)}>
                {chip(draft.refId === r.id, r.name)}
              </Text>
            ))}
            {refOptions.length === 0 ? <Text className="staff-shop__note">没有可选的项目或方案</Text> : null}
          </View>
        ) : null}
      </View>
      <View className="staff-shop__section">
        <Field label="商品名称" placeholder="商品名称" value={draft.name} onText={(name) => change({ name })} />
        <Field
          label="售价（元）"
          type="digit"
          placeholder="售价"
          value={draft.price}
          disabled={draft.kind === 'top_up_plan'}
          onText={(price) => change({ price })}
        />
        {tiers.map((t) => (
          <Field
            key={t.id}
            label={`${t.name}价（元，不设则按售价）`}
            type="digit"
            placeholder={`${t.name}价`}
            value={draft.tierPrices[t.id] ?? ''}
            onText={(text) => change({ tierPrices: { ...draft.tierPrices, [t.id]: text } })}
          />
        ))}
        <Field
          label="积分价（不设则留空）"
          type="number"
          placeholder="不设"
          value={draft.points}
          onText={(points) => change({ points })}
        />
        <Text>描述</Text>
        <Textarea
          className="staff-shop__input staff-shop__textarea"
          placeholder="商品描述"
          value={draft.description}
          maxlength={1000}
          onInput={(e) => change({ description: e.detail.value })}
        />
        <ImagePicker
          path={draft.imagePath}
          valid={!problem?.startsWith('图片')}
          onPath={(imagePath) => change({ imagePath })}
        />
        <Field
          label="排序（小的在前）"
          type="number"
          value={draft.sortOrder}
          onText={(sortOrder) => change({ sortOrder })}
        />
        <View className="staff-shop__chips">
          <Text className="staff-shop__chip" onClick={() => change({ onSale: true })}>
            {chip(draft.onSale, '在售')}
          </Text>
          <Text className="staff-shop__chip" onClick={() => change({ onSale: false })}>
            {chip(!draft.onSale, '下架')}
          </Text>
        </View>
      </View>
      {draft.kind === 'product' ? (
        <View className="staff-shop__section">
          <Text className="staff-shop__title">各门店库存</Text>
          {stores.map((s) => (
            <View key={s.id} className="staff-shop__row">
              <Text>{s.name}</Text>
              <Input
                className="staff-shop__input"
                type="number"
                placeholder={`${s.name}库存`}
                value={draft.stock[s.id] ?? '0'}
                onInput={(e) => change({ stock: { ...draft.stock, [s.id]: e.detail.value } })}
              />
            </View>
          ))}
        </View>
      ) : null}
      <InlineError className="staff-shop__error" message={props.actionError ?? problem} />
      <View className="staff-shop__section">
        <Button
          type="primary"
          disabled={busy || !checked.ok}
          onClick={() => {
            if (checked.ok) props.onSave(checked);
          }}
        >
          {busy ? '保存中…' : isNew ? '新增商品' : '保存'}
        </Button>
      </View>
    </View>
  );
}
