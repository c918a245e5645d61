import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { MoneyText } from '@lumi/mini';
import type { ShopItem } from '@lumi/shared';
import { shopItemPage } from '../routes.ts';
import { imageUrl } from '../services/shop.ts';
import './shop.scss';

/** What a product has left across the stores (products only; wallet items never run out). */
export const stockLeft = (item: ShopItem) => item.stock.reduce((sum, s) => sum + s.quantity, 0);

/** One item in a grid: picture, name, her price (and the list price struck through when hers is lower). */
export function ItemCard({ item }: { item: ShopItem }) {
  const soldOut = item.kind === 'product' && stockLeft(item) === 0;
  return (
    <View
      className="shop-card"
      data-testid={`item-${item.id}`}
      onClick={() => void Taro.navigateTo({ url: shopItemPage(item.id) })}
    >
      {item.imagePath ? <Image className="shop-card__image" src={imageUrl(item.imagePath)} mode="aspectFill" /> : null}
      <Text className="shop-card__name">{item.name}</Text>
      <View className="shop-card__prices">
        <MoneyText className="shop-price" fen={item.priceFen} />
        {item.priceFen < item.listPriceFen ? <MoneyText className="shop-price--list" fen={item.listPriceFen} /> : null}
      </View>
      {soldOut ? <Text className="shop-card__soldout">已售罄</Text> : null}
    </View>
  );
}
