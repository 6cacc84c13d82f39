#!/usr/bin/perl
# A PIN-flow client written with Debian's libnet-oauth-perl (Net::OAuth's OAuth 1.0a request classes)
# and libwww-perl, run against a Tripod server.
#
# Usage: perl net_oauth_pin_client.pl BASE_URL CONFIG_JSON
# CONFIG_JSON: {"key", "secret", "status", "form": "header" | "body" | "query",
#               "signature_method"?: "HMAC-SHA1" | "RSA-SHA1", "private_key"?: PEM (RSA-SHA1),
#               "also_query_in_url"?: true}
#   header: the Authorization header (to_authorization_header), statuses/update's text in a form body;
#   body:   POSTs carry every parameter in a form body (to_post_body), the GET in the query (to_url);
#   query:  every request carries every parameter in the query string (to_url), POSTs included.
#
# Protocol with the test that drives it (pin-client-process.ts), one JSON object per line on stdout:
#   1. {"authorize_url", "oauth_callback_confirmed"} after a RequestTokenRequest with callback oob;
#   2. reads the PIN from stdin (the test gets it through Tripod's pages, as a person would);
#   3. an AccessTokenRequest with the PIN as verifier, then ProtectedResourceRequests: GET
#      verify_credentials?q=STATUS and POST statuses/update with the status;
#   4. {"access", "has_token", "me_status", "me", "access_level", "update_status", "update"}, and with
#      also_query_in_url, "get_query_in_url": the same GET with q written into request_url, which
#      Net::OAuth signs wrongly when q is not ASCII (net-oauth.test.ts).
# Anything that dies is printed as {"error": …} with exit status 1.

use strict;
use warnings;

use Crypt::OpenSSL::RSA;
use HTTP::Request;
use HTTP::Request::Common qw(POST);
use JSON::PP;
use LWP::UserAgent;
use Net::OAuth;
use URI;

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0A;

my $json = JSON::PP->new->utf8->canonical;
my ($base, $config_text) = @ARGV;
$base =~ s{/+$}{};
# Text, not bytes: Net::OAuth encodes characters as UTF-8 (and warns about undecoded bytes).
my $config = $json->decode($config_text);
my $form = $config->{form};
my $method = $config->{signature_method} // 'HMAC-SHA1';
my $ua = LWP::UserAgent->new(timeout => 30);
$| = 1;

sub say_json { print $json->encode(shift), "\n" }

sub nonce {
    open my $random, '<:raw', '/dev/urandom' or die "no /dev/urandom: $!";
    read $random, my $bytes, 16;
    return unpack 'H*', $bytes;
}

# Net::OAuth signs with whatever the signature method takes: a secret pair for HMAC, a key object for RSA.
sub signed {
    my ($type, $http_method, $url, %fields) = @_;
    my $request = Net::OAuth->request($type)->new(
        consumer_key     => $config->{key},
        consumer_secret  => $config->{secret},
        request_url      => $url,
        request_method   => $http_method,
        signature_method => $method,
        timestamp        => time,
        nonce            => nonce(),
        %fields,
    );
    if ($method eq 'RSA-SHA1') {
        my $key = Crypt::OpenSSL::RSA->new_private_key($config->{private_key});
        $key->use_sha1_hash;
        $request->sign($key);
    } else {
        $request->sign;
    }
    return $request;
}

# The request on the wire, with the OAuth parameters where `form` puts them.
sub send_signed {
    my ($request) = @_;
    my $http_method = $request->request_method;
    my $http;
    if ($form eq 'header') {
        # The other parameters go where they belong, form-encoded as libwww-perl does it (URI's query_form).
        my @extra = %{ $request->extra_params // {} };
        if ($http_method eq 'POST') {
            $http = POST($request->request_url, \@extra);
        } else {
            my $url = URI->new($request->request_url);
            $url->query_form($url->query_form, @extra);
            $http = HTTP::Request->new($http_method => $url);
        }
        $http->header(Authorization => $request->to_authorization_header);
    } elsif ($form eq 'query' || $http_method eq 'GET') {
        $http = HTTP::Request->new($http_method => $request->to_url);
        $http->content_length(0) if $http_method eq 'POST';
    } else {
        $http = HTTP::Request->new(
            $http_method => $request->request_url,
            ['Content-Type' => 'application/x-www-form-urlencoded'],
            $request->to_post_body,
        );
        $http->content_length(length $http->content);
    }
    return $ua->request($http);
}

sub token_response {
    my ($type, $response) = @_;
    die "$type: HTTP " . $response->code . ' ' . $response->decoded_content . "\n" unless $response->is_success;
    return Net::OAuth->response($type)->from_post_body($response->decoded_content);
}

sub answer {
    my ($response) = @_;
    return {
        status => $response->code + 0,
        body   => eval { $json->decode($response->content) } // $response->decoded_content,
        level  => scalar $response->header('X-Access-Level'),
    };
}

eval {
    my $request_token = token_response('request token', send_signed(signed(
        'request token', 'POST', "$base/oauth/request_token", callback => 'oob',
    )));
    my $authorize = URI->new("$base/oauth/authorize");
    $authorize->query_form(oauth_token => $request_token->token);
    say_json({
        authorize_url            => "$authorize",
        oauth_callback_confirmed => $request_token->callback_confirmed,
    });

    my $pin = <STDIN> // '';
    $pin =~ s/\s+//g;
    my $access = token_response('access token', send_signed(signed(
        'access token', 'POST', "$base/oauth/access_token",
        token        => $request_token->token,
        token_secret => $request_token->token_secret,
        verifier     => $pin,
    )));
    my %with_access = (token => $access->token, token_secret => $access->token_secret);

    my $verify_credentials = "$base/1.1/account/verify_credentials.json";
    my %result;
    if ($config->{also_query_in_url}) {
        # Parameters written into request_url are read back by URI::QueryParam as UTF-8 bytes, which
        # Net::OAuth's encode() takes for characters and encodes again: reported as it is; the workaround
        # is the GET below, the parameter given as text in extra_params.
        my $url = URI->new($verify_credentials);
        $url->query_form(q => $config->{status});
        my $naive = answer(send_signed(signed('protected resource', 'GET', "$url", %with_access)));
        $result{get_query_in_url} = { status => $naive->{status}, body => $naive->{body} };
    }
    my $me = answer(send_signed(signed(
        'protected resource', 'GET', $verify_credentials, %with_access,
        extra_params => { q => $config->{status} },
    )));
    my $update = answer(send_signed(signed(
        'protected resource', 'POST', "$base/1.1/statuses/update.json", %with_access,
        extra_params => { status => $config->{status} },
    )));
    my $extra = $access->extra_params;
    say_json({
        %result,
        access        => { user_id => $extra->{user_id}, screen_name => $extra->{screen_name} },
        has_token     => ($access->token ne '' && $access->token_secret ne '') ? JSON::PP::true : JSON::PP::false,
        me_status     => $me->{status},
        me            => $me->{body},
        access_level  => $me->{level},
        update_status => $update->{status},
        update        => $update->{body},
    });
    1;
} or do {
    # The client library's own words (and the server's answer, if any) for the test.
    my $error = $@ || 'unknown error';
    chomp $error;
    say_json({ error => $error });
    exit 1;
};
exit 0;
