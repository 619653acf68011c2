import type { Messages } from './messages.js';

const pad = (n: number) => String(n).padStart(2, '0');

export const es: Messages = {
  pay: (amount) => `Pagar ${amount}`,
  payNoAmount: 'Pagar',
  amountLabel: 'Importe a pagar',
  methodLegend: 'Método de pago',
  methodNames: {
    alipay: 'Alipay',
    wxpay: 'WeChat Pay',
    qqpay: 'QQ Wallet',
    unionpay: 'UnionPay',
    bank: 'Tarjeta bancaria',
    card: 'Tarjeta',
    jdpay: 'JD Pay',
    cod: 'Pago contra reembolso',
    balance: 'Saldo de la cuenta',
  },
  creating: 'Preparando el pago…',
  scanWith: (method) => `Escanea con ${method} para pagar`,
  scanGeneric: 'Escanea el código con tu aplicación de pago',
  longPressGeneric: 'Mantén pulsado el código para pagar',
  qrLabel: 'Código QR de pago',
  waiting: 'Esperando el pago…',
  stillChecking: 'La conexión es inestable. Tu pago está a salvo; seguimos comprobando…',
  paid: 'Pago recibido. ¡Gracias!',
  failed: 'El pago no se ha completado.',
  failureReasons: {
    declined: 'El pago fue rechazado. Puedes intentarlo de nuevo o elegir otro método.',
    insufficient_funds: 'El saldo no es suficiente para este pago. Elige otro método, o recarga e inténtalo de nuevo.',
    limit_exceeded: 'El importe supera el límite de este método de pago. Elige otro método.',
    expired: 'Se agotó el tiempo del pago. Puedes intentarlo de nuevo.',
    method_unavailable: 'Este método de pago no está disponible ahora. Elige otro.',
    canceled: 'Se canceló el pago.',
    unknown: 'El pago no se ha completado.',
  },
  failureDetail: (message) => `Detalles: ${message}`,
  scanOnPhone: (app) => `Escanea este código con ${app} en tu teléfono para pagar`,
  scanOnPhoneGeneric: 'Escanea este código con la app de pago de tu teléfono',
  slowWaiting: 'Aún no hemos recibido tu pago. Si ya pagaste, puede tardar un momento: vuelve a comprobarlo.',
  canceled: 'El pago se ha cancelado.',
  expired: 'Este código de pago ha caducado.',
  error: 'Algo ha fallado. Tu pedido se conserva; puedes volver a intentarlo.',
  retry: 'Reintentar',
  tryAgain: 'Intentar de nuevo',
  refresh: 'Obtener un código nuevo',
  copy: 'Copiar enlace de pago',
  copied: 'Copiado',
  copyFailed: 'No se pudo copiar',
  openApp: 'Abrir la aplicación',
  expiresIn: (minutes, seconds) => `Caduca en ${minutes}:${pad(seconds)}`,
  qrExpired: 'El código ha caducado',
  notSupportedHere: 'Este método de pago no se puede completar en esta página.',
  testMode: 'Modo de prueba',
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) => {
    const parts: string[] = [];
    if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}`);
    if (seconds > 0 || minutes === 0) parts.push(`${seconds} ${seconds === 1 ? 'segundo' : 'segundos'}`);
    return `El código caduca en ${parts.join(' y ')}`;
  },
  // Leaving the page and paying in-app
  redirecting: 'Te llevamos a la página de pago…',
  openingApp: 'Abriendo la aplicación para pagar…',
  appNotOpened:
    'La aplicación no se abrió. Escanea este código con el teléfono que la tiene, o instálala e inténtalo de nuevo.',
  openInWechat: 'Este pago se hace dentro de WeChat. Escanea este código con WeChat para abrir esta página allí.',
  wechatPaying: 'Completa el pago en WeChat…',
  alipayPaying: 'Completa el pago en Alipay…',
  miniProgramLinkInWechat:
    'WeChat no abre enlaces de miniprogramas desde una página. Mantén pulsado el código para reconocerlo, o escanéalo con WeChat desde otro teléfono.',
  canceledKept: 'Se canceló el pago. Tu pedido se conserva; elige un método para intentarlo de nuevo.',
  handedToApp: 'Completa el pago en la aplicación…',
  miniProgramPaying: 'Completa el pago en el miniprograma…',
  miniProgramSdkMissing:
    'Esta página no ha cargado el script de web-view del miniprograma y no puede cobrar aquí. Tu pedido se conserva.',
  backToMethods: 'Elegir otro método',
  checkAgain: 'Ya he pagado',
  // <cashdesk-open-in-browser>
  openInBrowserTitle: 'Abre esta página en tu navegador para pagar',
  openInBrowserWhy: 'Esta página de pago no se puede abrir dentro de WeChat.',
  openInBrowserIos: 'Toca ⋯ arriba a la derecha y elige «Abrir en Safari».',
  openInBrowserAndroid: 'Toca ⋯ arriba a la derecha y elige «Abrir en el navegador».',
  openInBrowserOther: 'Abre el menú de esta aplicación y elige abrir la página en tu navegador.',
  copyPageLink: 'Copiar el enlace de la página',
  close: 'Cerrar',
};
