// Money rules live in @lumi/shared (integer fen, no floats); the mini-programs only re-export them.
export { fenToYuanString, formatFen, isFen, MoneyFormatError, parseYuan } from '@lumi/shared';
