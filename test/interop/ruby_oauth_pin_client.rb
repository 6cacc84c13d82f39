#!/usr/bin/ruby
# A PIN-flow client written with Debian's ruby-oauth (the `oauth` gem), run against a Tripod server.
#
# Usage: ruby ruby_oauth_pin_client.rb BASE_URL CONFIG_JSON
# CONFIG_JSON: {"key", "secret", "status", "scheme": "header" | "query_string" | "body",
#               "signature_method"?: "HMAC-SHA1" | "RSA-SHA1", "private_key"?: PEM (RSA-SHA1),
#               "wrong_pin_first"?: true, "invalidate"?: true}
#
# Protocol with the test that drives it (pin-client-process.ts), one JSON object per line on stdout:
#   1. {"authorize_url", "oauth_callback_confirmed"} after get_request_token (oauth_callback=oob);
#   2. reads the PIN from stdin (the test gets it through Tripod's pages, as a person would);
#   3. with wrong_pin_first, get_access_token with a PIN that is not the right one, and what Tripod said;
#      then get_access_token with the PIN, GET verify_credentials?q=STATUS, POST statuses/update with
#      the status, every call with the OAuth parameters where :scheme puts them (but see :body below);
#      with invalidate, POST /oauth/invalidate_token and the same GET again with the spent token;
#   4. {"access", "has_token", "me_status", "me", "access_level", "update_status", "update", …}.
# Requests the gem gets wrong are sent as the gem sends them, their answers reported ("get_in_body",
# "post_query_in_body", "invalidate_empty_body"), and then sent the way that works (ruby-oauth.test.ts).
# Anything raised is printed as {"error": …} with exit status 1.

require 'json'
require 'oauth'

base = ARGV[0].chomp('/')
config = JSON.parse(ARGV[1])

def say(line)
  $stdout.puts(JSON.generate(line))
  $stdout.flush
end

# The gem raises OAuth::Problem (Problem Reporting in WWW-Authenticate) or OAuth::Unauthorized on 4xx;
# the test wants the status, the problem and the body, not a trace.
def refusal(error)
  refused = { 'status' => error.request.code.to_i, 'body' => JSON.parse(error.request.body) }
  refused.merge!('problem' => error.problem, 'params' => error.params) if error.is_a?(OAuth::Problem)
  refused
end

def answer_of
  response = yield
  { 'status' => response.code.to_i, 'body' => JSON.parse(response.body), 'headers' => response.to_hash }
rescue OAuth::Unauthorized => e
  refusal(e)
end

begin
  rsa = config['signature_method'] == 'RSA-SHA1'
  consumer = OAuth::Consumer.new(
    config['key'],
    # RSA-SHA1 signs with the private key, which the gem takes as the consumer secret.
    rsa ? config['private_key'] : config['secret'],
    site: base,
    scheme: config['scheme'].to_sym,
    signature_method: config.fetch('signature_method', 'HMAC-SHA1')
  )
  request_token = consumer.get_request_token(oauth_callback: OAuth::OUT_OF_BAND)
  say('authorize_url' => request_token.authorize_url,
      'oauth_callback_confirmed' => request_token.params[:oauth_callback_confirmed])

  pin = $stdin.gets.to_s.strip
  result = {}
  if config['wrong_pin_first']
    # Not the PIN: its last digit changed.
    wrong = pin[0..-2] + ((pin[-1].to_i + 1) % 10).to_s
    result['wrong_pin'] = begin
      request_token.get_access_token(oauth_verifier: wrong)
      { 'accepted' => true }
    rescue OAuth::Unauthorized => e
      refusal(e)
    end
  end
  access = request_token.get_access_token(oauth_verifier: pin)

  # The status in the GET's query too, form-encoded as Ruby does it (URI.encode_www_form: spaces as '+').
  verify_credentials = "/1.1/account/verify_credentials.json?#{URI.encode_www_form(q: config['status'])}"
  update_path = '/1.1/statuses/update.json'
  if consumer.scheme == :body
    # The gem's :body scheme on a GET loses every oauth_* parameter but oauth_signature (its
    # set_oauth_body re-reads the parameters from the body only for POST and PUT): reported as it is,
    # then the GET is signed in the query string instead, the workaround.
    result['get_in_body'] = answer_of { access.get(verify_credentials) }.slice('status', 'body')
    me = answer_of { consumer.request(:get, verify_credentials, access, { scheme: :query_string }) }
    # And on a POST it copies the query's parameters into the body as well (the FIXME above its
    # set_oauth_body), so they are sent twice and signed otherwise: reported as it is; the workaround is
    # the POST below, every parameter in the form.
    result['post_query_in_body'] = answer_of do
      access.post("#{update_path}?#{URI.encode_www_form(tag: 'a b')}", { 'status' => config['status'] })
    end.slice('status', 'problem')
  else
    me = answer_of { access.get(verify_credentials) }
  end
  update = answer_of { access.post(update_path, { 'status' => config['status'] }) }
  result.merge!(
    'access' => { 'user_id' => access.params[:user_id], 'screen_name' => access.params[:screen_name] },
    'has_token' => !access.token.to_s.empty? && !access.secret.to_s.empty?,
    'me_status' => me['status'],
    'me' => me['body'],
    'access_level' => me.dig('headers', 'x-access-level', 0),
    'update_status' => update['status'],
    'update' => update['body']
  )
  if config['invalidate']
    # The gem's post(path) signs its empty body as a non-form body (with oauth_body_hash), and Net::HTTP
    # then labels it application/x-www-form-urlencoded: reported as it is, then the workaround,
    # post(path, {}): an empty form, which the gem signs as the form it sends.
    invalidate_token = '/oauth/invalidate_token'
    result['invalidate_empty_body'] = answer_of { access.post(invalidate_token) }.slice('status', 'body')
    result['invalidate'] = answer_of { access.post(invalidate_token, {}) }.slice('status', 'body')
    result['after_invalidate'] = answer_of { access.get(verify_credentials) }.slice('status', 'problem')
  end
  say(result)
  exit 0
rescue StandardError => e
  # The client library's own words (and the server's answer, if any) for the test.
  detail = e.respond_to?(:request) && e.request.respond_to?(:body) ? " #{e.request.body}" : ''
  say('error' => "#{e.class}: #{e.message}#{detail}")
  exit 1
end
