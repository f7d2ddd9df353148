/**
 * Common Chinese surnames for honorific name forms (张先生, 李女士, 王师傅). Left out on purpose:
 * surnames that are also everyday words in car feedback and would turn 修车师傅 or 老师傅 into a
 * name (车, 修, 老, 小, 大, 新, 油, 路, 门, 水, 开, 时, 能, 和, 于 …).
 */
export const SINGLE_SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

export const DOUBLE_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '慕容', '令狐', '皇甫', '尉迟', '公孙', '长孙', '宇文', '司徒', '夏侯', '端木'];

/** Surnames in the list above that read as ordinary words in car feedback: dropped. */
const EXCLUDED = new Set([...'车修老小大新油路门水开时能和于单明全成连应司商管边党宫']);

export const SURNAME_CHARS = [...new Set([...SINGLE_SURNAMES])].filter((c) => !EXCLUDED.has(c)).join('');
