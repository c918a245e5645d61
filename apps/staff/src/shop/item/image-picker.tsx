import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { InlineError, shopImageUrl, userMessage } from '@lumi/mini';
import { SHOP_IMAGE_MAX_BYTES } from '@lumi/shared';
import { useState } from 'react';
import { uploadShopImage } from '../../services/shop.ts';
import { Field } from '../field.tsx';
import { catalogueErrorMessage } from './item-errors.ts';

export interface ImagePickerProps {
  path: string;
  /** Whether the path as typed is one the API takes (the form's own check); only then is it previewed. */
  valid: boolean;
  onPath: (path: string) => void;
}

/**
 * 图片: a photo from the album or camera (Taro.chooseImage: WeChat's picker in weapp, a file input in H5),
 * compressed by the phone and uploaded (Taro.uploadFile) for the path the item keeps — or a picture of the shop's
 * gallery by its path. A photo over the API's limit is refused here before it is sent.
 */
export function ImagePicker({ path, valid, onPath }: ImagePickerProps) {
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function choose() {
    setProblem(null);
    const chosen = await Taro.chooseImage({
      count: 1,
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
    }).catch(
      () => null, // she closed the picker
    );
    const file = chosen?.tempFiles[0];
    if (!file) return;
    if (file.size > SHOP_IMAGE_MAX_BYTES) {
      setProblem(userMessage('SHOP_IMAGE_TOO_LARGE'));
      return;
    }
    setUploading(true);
    try {
      onPath((await uploadShopImage(file.path)).path);
    } catch (cause) {
      setProblem(catalogueErrorMessage(cause, '图片上传失败，请重试'));
    } finally {
      setUploading(false);
    }
  }

  return (
    <View className="staff-shop-image">
      <Text>图片</Text>
      {path && valid ? (
        <Image className="staff-shop-image__preview" src={shopImageUrl(path.trim())} mode="aspectFit" />
      ) : null}
      <Button size="mini" disabled={uploading} onClick={() => void choose()}>
        {uploading ? '上传中…' : path ? '更换图片' : '上传图片'}
      </Button>
      <InlineError className="staff-shop__error" message={problem} />
      <Field
        label="或填商城图库路径"
        placeholder="/shop-images/serum.svg"
        value={path}
        onText={(text) => {
          setProblem(null);
          onPath(text);
        }}
      />
    </View>
  );
}
