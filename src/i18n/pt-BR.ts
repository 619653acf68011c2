import { clock, spokenDuration } from './intl.js';
import type { Messages } from './messages.js';

export const ptBR: Messages = {
  pay: (amount) => `Pagar ${amount}`,
  payNoAmount: 'Pagar',
  amountLabel: 'Valor a pagar',
  methodLegend: 'Forma de pagamento',
  methodNames: {
    alipay: 'Alipay',
    wxpay: 'WeChat Pay',
    qqpay: 'QQ Wallet',
    unionpay: 'UnionPay',
    bank: 'Cartão bancário',
    card: 'Cartão',
    jdpay: 'JD Pay',
    cod: 'Pagamento na entrega',
    balance: 'Saldo da conta',
  },
  creating: 'Preparando seu pagamento…',
  scanWith: (method) => `Escaneie com ${method} para pagar`,
  scanGeneric: 'Escaneie o código com seu app de pagamento',
  longPressGeneric: 'Toque e segure o código para pagar',
  qrLabel: 'QR Code de pagamento',
  waiting: 'Aguardando seu pagamento…',
  stillChecking: 'A conexão está instável. Seu pagamento está seguro; ainda estamos verificando…',
  paid: 'Pagamento recebido. Obrigado!',
  failed: 'O pagamento não foi concluído.',
  failureReasons: {
    declined: 'O pagamento foi recusado. Você pode tentar de novo ou escolher outra forma de pagamento.',
    insufficient_funds:
      'O saldo não é suficiente para este pagamento. Escolha outra forma de pagamento ou adicione saldo e tente de novo.',
    limit_exceeded: 'Este valor ultrapassa o limite desta forma de pagamento. Escolha outra forma.',
    expired: 'O tempo para pagar esgotou. Você pode tentar de novo.',
    method_unavailable: 'Esta forma de pagamento está indisponível no momento. Escolha outra.',
    canceled: 'O pagamento foi cancelado.',
    unknown: 'O pagamento não foi concluído.',
  },
  failureDetail: (message) => `Detalhes: ${message}`,
  scanOnPhone: (app) => `Escaneie este código com ${app} no seu celular para pagar`,
  scanOnPhoneGeneric: 'Escaneie este código com o app de pagamento do seu celular',
  slowWaiting:
    'Ainda não recebemos seu pagamento. Se você já pagou, isso pode levar alguns instantes: verifique de novo.',
  canceled: 'O pagamento foi cancelado.',
  expired: 'Este código de pagamento expirou.',
  error: 'Algo deu errado. Seu pedido continua salvo; você pode tentar de novo.',
  retry: 'Tentar novamente',
  tryAgain: 'Tentar de novo',
  refresh: 'Gerar novo código',
  copy: 'Copiar link de pagamento',
  copied: 'Copiado',
  copyFailed: 'Não foi possível copiar',
  openApp: 'Abrir o app',
  expiresIn: (minutes, seconds) => `Expira em ${clock('pt-BR', minutes, seconds)}`,
  qrExpired: 'O código expirou',
  notSupportedHere: 'Esta forma de pagamento não pode ser concluída nesta página.',
  testMode: 'Modo de teste',
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) => `O código expira em ${spokenDuration('pt-BR', minutes, seconds)}`,
  // Leaving the page and paying in-app
  redirecting: 'Redirecionando para a página de pagamento…',
  openingApp: 'Abrindo o app para pagar…',
  appNotOpened:
    'O app não abriu. Escaneie este código com o celular que tem o app instalado ou instale o app e tente de novo.',
  openInWechat:
    'Este pagamento é feito dentro do WeChat. Escaneie este código com o WeChat para abrir esta página nele.',
  wechatPaying: 'Conclua o pagamento no WeChat…',
  alipayPaying: 'Conclua o pagamento no Alipay…',
  miniProgramLinkInWechat:
    'O WeChat não abre links de miniprogramas a partir de uma página. Toque e segure o código para reconhecê-lo ou escaneie-o com o WeChat em outro celular.',
  canceledKept:
    'O pagamento foi cancelado. Seu pedido continua salvo; escolha uma forma de pagamento para tentar de novo.',
  handedToApp: 'Conclua o pagamento no app…',
  miniProgramPaying: 'Conclua o pagamento no miniprograma…',
  miniProgramSdkMissing:
    'Esta página não carregou o script de web-view do miniprograma, por isso não é possível pagar aqui. Seu pedido continua salvo.',
  backToMethods: 'Escolher outra forma de pagamento',
  checkAgain: 'Já paguei',
  // <cashdesk-open-in-browser>
  openInBrowserTitle: 'Abra esta página no navegador para pagar',
  openInBrowserWhy: 'Esta página de pagamento não abre dentro do WeChat.',
  openInBrowserIos: 'Toque em ⋯ no canto superior direito e escolha “Abrir no Safari”.',
  openInBrowserAndroid: 'Toque em ⋯ no canto superior direito e escolha “Abrir no navegador”.',
  openInBrowserOther: 'Abra o menu deste app e escolha abrir a página no navegador.',
  copyPageLink: 'Copiar o link da página',
  close: 'Fechar',
};
