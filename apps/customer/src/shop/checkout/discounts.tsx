import { Text, View } from '@tarojs/components';
import { couponSummary, formatCount, formatFen } from '@lumi/mini';
import type { Cart, Coupon, ShopCatalogue, ShopQuote } from '@lumi/shared';

interface DiscountsProps {
  cart: Cart;
  catalogue: ShopCatalogue;
  coupons: Coupon[];
  couponId: string | null;
  onCoupon(couponId: string | null): void;
  pointsItems: string[];
  onPointsItems(itemIds: string[]): void;
  quote: ShopQuote | null;
  quoteError: string | null;
}

/**
 * 优惠: items she may take at their points price (积分兑换), and a coupon from her wallet in the words the staff
 * till uses (`couponSummary`: what it gives, its minimum, its validity). The amounts shown are the API's quote —
 * the app never prices a coupon itself.
 */
export function Discounts(props: DiscountsProps) {
  const { cart, catalogue, coupons, couponId, pointsItems, quote } = props;
  const withPointsPrice = cart.lines.filter(
    (l) => l.onSale && catalogue.items.find((i) => i.id === l.itemId)?.pointsPrice,
  );
  const toggle = (itemId: string) =>
    props.onPointsItems(
      pointsItems.includes(itemId) ? pointsItems.filter((i) => i !== itemId) : [...pointsItems, itemId],
    );
  return (
    <View className="shop-section">
      <Text className="shop-section__title">优惠</Text>
      {withPointsPrice.map((l) => {
        const pointsPrice = catalogue.items.find((i) => i.id === l.itemId)?.pointsPrice ?? 0;
        const on = pointsItems.includes(l.itemId);
        return (
          <View key={l.itemId} className="shop-row" onClick={() => toggle(l.itemId)}>
            <Text className="shop-chip" data-active={on}>
              {`${on ? '✓ ' : ''}积分兑换 ${l.name}`}
            </Text>
            <Text>{`${formatCount(pointsPrice * l.quantity)} 积分`}</Text>
          </View>
        );
      })}
      <Text>优惠券</Text>
      {coupons.length === 0 ? <Text className="shop-muted">暂无可用优惠券</Text> : null}
      <View className="shop-chips">
        {coupons.map((c) => (
          <Text
            key={c.id}
            className="shop-chip"
            data-active={c.id === couponId}
            onClick={() => props.onCoupon(c.id === couponId ? null : c.id)}
          >
            {`${c.id === couponId ? '✓ ' : ''}${c.title} · ${couponSummary(c)}`}
          </Text>
        ))}
      </View>
      {props.quoteError ? <Text className="shop-muted">{props.quoteError}</Text> : null}
      {quote && quote.couponDiscountFen > 0 ? (
        <View className="shop-row">
          <Text>优惠券抵扣</Text>
          <Text>{`-${formatFen(quote.couponDiscountFen)}`}</Text>
        </View>
      ) : null}
      {quote && quote.pointsPricePoints > 0 ? (
        <View className="shop-row">
          <Text>积分兑换需</Text>
          <Text>{`${formatCount(quote.pointsPricePoints)} 积分`}</Text>
        </View>
      ) : null}
    </View>
  );
}
