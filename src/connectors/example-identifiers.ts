import type { Channel } from '../core/feedback-event.js';

/**
 * Every person identifier in the example inputs, per file, written out by hand: phones (as
 * written and as digits), VINs, plates, names, openids, WeCom ids, app and social user ids and
 * handles, agent and advisor ids, dealer order numbers, public post ids and user URLs. None may
 * appear in any field of what the connectors publish except `text` (the NLP stage redacts text),
 * nor in any dead letter.
 */
export const EXAMPLE_IDENTIFIERS: Record<Channel, Record<string, string[]>> = {
  hotline: {
    'examples/hotline/transcripts.json': [
      '138-1234-5678', '13812345678', 'A10245', 'LSJW74U39PZ208361', '+852 9123 4567', '91234567', 'HK-A0031',
      '13987654321', 'A10388', '13700001111', '13655556666', 'A10400', '13522223333', '0912-345-678', '0912345678', 'TW-A007',
    ],
    'examples/hotline/work-orders.csv': [
      '13812345678', 'A10245', 'LSJW74U39PZ208361', '15900112233', 'A10311', 'LGXCE4CB8N0012345', '18611223344', 'A10388',
      'LSJW74U36RZ110027', '13600001234', '0933-222-111', '0933222111', 'TW-A007', 'LSJW74U31PZ300456', '13755667788',
    ],
  },
  survey: {
    'examples/survey/webhook.jsonl': [
      'oK3x_5Vb8Jq2LmN0pQrStUvWxYz1', '13811112222', 'oK3x_9Hh2Aa7BbCcDdEeFfGgHh88', '0987-654-321', '0987654321',
      'oK3x_1234567890abcdefABCDEF', 'oK3x_BADBADBADBADBADBAD0001',
    ],
    'examples/survey/responses.csv': [
      '13566778899', '13688990011', '13700112233', '13800001111', '13800002222',
      '115.236.12.45', '171.214.9.8', '183.14.20.77', '58.246.1.2', '58.246.1.3',
    ],
  },
  private_domain: {
    'examples/private_domain/wecom-archive.jsonl': [
      'wmAbCdEf0123456789GhIjKlMnOpQr', 'woXyZ9876543210AbCdEfGhIjKlMn', 'wmHK000111222333444555666777', 'wmQwErTy000111222333444555',
      'lihua', 'chanws', 'wrS7OwnersShanghai01', 'wrL9CoCreationHK02', 'CtYBMzA2OTAyMDEwMjA0NjIzMDYw', 'kcyZjZjZTctYzY0YS00',
    ],
    'examples/private_domain/app-posts.json': [
      'U88120345', 'U88120999', 'U88121000', 'U77000111', 'U66000222', '浦东S7车主小王', '杭州L9奶爸', '台中星海車主',
    ],
  },
  social: {
    'examples/social/feed.jsonl': [
      '7012345678', '6500011122', '6600022233', '7099988877', '7011112222', 'dy_88990011', 'dy_00001111', 'ah_user_5566778',
      'dcd_u_112233', '5f1a2b3c4d5e6f7a8b9c0d1e', '5f9999aaaabbbbccccddddee', 'm01_taipei_driver', 'evdriver2024',
      '魔都电车日记', '路人甲', '理性车评', '老张说车', '汽车之家用户5566778', '小鹿爱自驾', '搬运工', '台北開車族',
      '5012345678901234', '7351234567890123456', 'koubei-3345566', 'dcd-7788990011', '66112233000000000a0b0c0d', 't=6901234', 'M.1713020000.A.1B2',
      'O9aBcDeFg', 'weibo.com/7012345678', 'view_01hq8x', 'topicdetail.php',
    ],
  },
  dealer: {
    'examples/dealer/service-orders.csv': [
      'RO-SH021-240401-0012', 'RO-GZ008-240402-0031', 'RO-BJ015-240403-0007', 'RO-TPE02-240404-0003', 'RO-CD011-240405-0019',
      'RO-HZ003-240407-0002', 'RO-HZ003-240408-0005',
      'LSJW74U39PZ208361', 'LGXCE4CB8N0012345', 'LSJW74U36RZ110027', 'LSJW74U31PZ300456', 'LVVDB21B8PD123987', 'LSJW74U30RZ555001',
      'LSJW74U32PZ777002', 'LSJW74U32PZ777003',
      '沪A·D12345', '粤A·88K21', '京N·F7788', 'BTR-6625', '川A·5X9Y2', '粤B·D99887', '浙A·C3344', '浙A·C5566',
      '13812345678', '15900112233', '18611223344', '0933-222-111', '0933222111', '13688990011', '13700112233', '13566778899', '13566770000',
      'SA021-07', 'SA008-02', 'SA015-11', 'TW-SA-05', 'SA011-03', 'SA020-01', 'SA003-09',
      '王建国', '李明', '赵丽', '陳怡君', '张伟', '刘洋', '周杰', '吴敏', '138****5678',
    ],
  },
};

