/**
 * 打印小票: H5 prints the page (the stylesheet hides everything but the receipt); a mini-program cannot print, so
 * there the receipt is shown to the customer on the phone (a Bluetooth printer is out of scope).
 */
export function canPrint(): boolean {
  return process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' && typeof window.print === 'function';
}

export function printReceipt(): void {
  if (canPrint()) window.print();
}
