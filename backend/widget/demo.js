// The demo store page's script (kept out of the page for its
// Content-Security-Policy): it starts the widget with the page's business
// fields. ?order= sets the order number, ?lang=zh|en the language,
// ?chat=open opens the panel, and ?user= signs the visitor in as that user
// of the store: the demo server's /demo/identity plays the store's backend
// and signs an identity token for them (?vip=1 vouches for VIP status,
// ?name= for their name), so agents see those fields verified.
(function () {
  var params = new URLSearchParams(location.search);
  var orderNo = params.get('order') || 'SO-20261124-0042';
  document.getElementById('order-no').textContent = orderNo;
  var ext = {
    source: location.pathname + location.search,
    page_title: document.title,
    order_no: orderNo,
  };
  var lang = params.get('lang');
  if (!window.Switchboard) {
    return;
  }
  var options = {
    ext: ext,
    locale: lang === 'zh' || lang === 'en' ? lang : undefined,
    open: params.get('chat') === 'open',
  };
  var user = params.get('user');
  if (user) {
    options.identity = function () {
      var q = new URLSearchParams({ user: user, order_no: orderNo });
      if (params.get('vip')) q.set('vip', params.get('vip'));
      if (params.get('name')) q.set('name', params.get('name'));
      return fetch('/demo/identity?' + q.toString()).then(function (r) {
        return r.ok ? r.text() : null;
      });
    };
  }
  window.Switchboard.init(options);
})();
