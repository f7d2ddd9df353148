/**
 * Phrases that contain an opinion or magnitude word but are grammar, not opinion: 最好 (advice:
 * "best to"), 好像 (seems), 好几 (several), 差不多 (about), 差点 (nearly), 一般来说 (usually). The
 * scorer adds them as neutral words (weight 0) so the longest match shadows 好/差/一般 inside them,
 * unless the lexicon gives the phrase a polarity of its own.
 */
export const FUNCTION_PHRASES: readonly string[] = [
  '最好', '最好是', '好像', '好象', '好多', '好几', '只好', '正好', '刚好', '恰好', '好在', '好让',
  '好了', '就好', '搞好', '弄好', '修好', '装好', '选好', '想好', '好不好', '好吗', '好的',
  '差不多', '差点', '差一点', '相差', '差异', '差距', '差价', '差额', '出差',
  '一般来说', '一般来讲', '一般都', '一般是', '一般在', '一般会', '一般人', '一般情况',
  '不好说', '好说', '说好', '多少', '多久', '多大', '多高', '多快', '大概', '大约', '大多', '高速', '高配', '低配', '大灯', '小时',
];
