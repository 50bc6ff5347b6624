import { S, type Shape } from '../api/index.js';

/**
 * Input shapes of the ELBv2 operations Skiff serves (2015-12-01 model). They tell the
 * query decoder which members are lists, integers and booleans; bounds and meanings
 * are checked by the operations.
 */
const tag = S.struct({ Key: S.string, Value: S.string }, ['Key']);
const tags = S.list(tag);
const strings = S.strings;
const target = S.struct({ Id: S.string, Port: S.integer, AvailabilityZone: S.string }, ['Id']);
const matcher = S.struct({ HttpCode: S.string, GrpcCode: S.string });
const attribute = S.struct({ Key: S.string, Value: S.string });
const values = S.struct({ Values: strings });

const action = S.struct(
  {
    Type: S.string,
    TargetGroupArn: S.string,
    Order: S.integer,
    ForwardConfig: S.struct({
      TargetGroups: S.list(S.struct({ TargetGroupArn: S.string, Weight: S.integer })),
      TargetGroupStickinessConfig: S.struct({ Enabled: S.boolean, DurationSeconds: S.integer }),
    }),
    FixedResponseConfig: S.struct({ MessageBody: S.string, StatusCode: S.string, ContentType: S.string }, ['StatusCode']),
    RedirectConfig: S.struct(
      { Protocol: S.string, Port: S.string, Host: S.string, Path: S.string, Query: S.string, StatusCode: S.string },
      ['StatusCode'],
    ),
    AuthenticateOidcConfig: S.any,
    AuthenticateCognitoConfig: S.any,
  },
  ['Type'],
);

const condition = S.struct({
  Field: S.string,
  Values: strings,
  HostHeaderConfig: values,
  PathPatternConfig: values,
  HttpHeaderConfig: S.struct({ HttpHeaderName: S.string, Values: strings }),
  QueryStringConfig: S.struct({ Values: S.list(S.struct({ Key: S.string, Value: S.string })) }),
  HttpRequestMethodConfig: values,
  SourceIpConfig: values,
});

const healthCheck = {
  HealthCheckProtocol: S.string,
  HealthCheckPort: S.string,
  HealthCheckEnabled: S.boolean,
  HealthCheckPath: S.string,
  HealthCheckIntervalSeconds: S.integer,
  HealthCheckTimeoutSeconds: S.integer,
  HealthyThresholdCount: S.integer,
  UnhealthyThresholdCount: S.integer,
  Matcher: matcher,
};

const paging = { Marker: S.string, PageSize: S.integer };
const certificates = S.list(S.struct({ CertificateArn: S.string, IsDefault: S.boolean }));

export const elbv2Shapes = {
  CreateLoadBalancer: S.struct(
    {
      Name: S.string,
      Subnets: strings,
      SubnetMappings: S.list(S.struct({ SubnetId: S.string, AllocationId: S.string, PrivateIPv4Address: S.string, IPv6Address: S.string })),
      SecurityGroups: strings,
      Scheme: S.string,
      Tags: tags,
      Type: S.string,
      IpAddressType: S.string,
      CustomerOwnedIpv4Pool: S.string,
    },
    ['Name'],
  ),
  DescribeLoadBalancers: S.struct({ LoadBalancerArns: strings, Names: strings, ...paging }),
  DeleteLoadBalancer: S.struct({ LoadBalancerArn: S.string }, ['LoadBalancerArn']),
  DescribeLoadBalancerAttributes: S.struct({ LoadBalancerArn: S.string }, ['LoadBalancerArn']),
  ModifyLoadBalancerAttributes: S.struct({ LoadBalancerArn: S.string, Attributes: S.list(attribute) }, ['LoadBalancerArn', 'Attributes']),
  CreateTargetGroup: S.struct(
    { Name: S.string, Protocol: S.string, ProtocolVersion: S.string, Port: S.integer, VpcId: S.string, TargetType: S.string, Tags: tags, IpAddressType: S.string, ...healthCheck },
    ['Name'],
  ),
  DescribeTargetGroups: S.struct({ LoadBalancerArn: S.string, TargetGroupArns: strings, Names: strings, ...paging }),
  ModifyTargetGroup: S.struct({ TargetGroupArn: S.string, ...healthCheck }, ['TargetGroupArn']),
  DeleteTargetGroup: S.struct({ TargetGroupArn: S.string }, ['TargetGroupArn']),
  DescribeTargetGroupAttributes: S.struct({ TargetGroupArn: S.string }, ['TargetGroupArn']),
  ModifyTargetGroupAttributes: S.struct({ TargetGroupArn: S.string, Attributes: S.list(attribute) }, ['TargetGroupArn', 'Attributes']),
  RegisterTargets: S.struct({ TargetGroupArn: S.string, Targets: S.list(target) }, ['TargetGroupArn', 'Targets']),
  DeregisterTargets: S.struct({ TargetGroupArn: S.string, Targets: S.list(target) }, ['TargetGroupArn', 'Targets']),
  DescribeTargetHealth: S.struct({ TargetGroupArn: S.string, Targets: S.list(target), Include: strings }, ['TargetGroupArn']),
  CreateListener: S.struct(
    {
      LoadBalancerArn: S.string,
      Protocol: S.string,
      Port: S.integer,
      SslPolicy: S.string,
      Certificates: certificates,
      DefaultActions: S.list(action),
      AlpnPolicy: strings,
      Tags: tags,
    },
    ['LoadBalancerArn', 'DefaultActions'],
  ),
  DescribeListeners: S.struct({ LoadBalancerArn: S.string, ListenerArns: strings, ...paging }),
  ModifyListener: S.struct(
    {
      ListenerArn: S.string,
      Port: S.integer,
      Protocol: S.string,
      SslPolicy: S.string,
      Certificates: certificates,
      DefaultActions: S.list(action),
      AlpnPolicy: strings,
    },
    ['ListenerArn'],
  ),
  DeleteListener: S.struct({ ListenerArn: S.string }, ['ListenerArn']),
  CreateRule: S.struct(
    { ListenerArn: S.string, Conditions: S.list(condition), Priority: S.integer, Actions: S.list(action), Tags: tags },
    ['ListenerArn', 'Conditions', 'Priority', 'Actions'],
  ),
  DescribeRules: S.struct({ ListenerArn: S.string, RuleArns: strings, ...paging }),
  ModifyRule: S.struct({ RuleArn: S.string, Conditions: S.list(condition), Actions: S.list(action) }, ['RuleArn']),
  DeleteRule: S.struct({ RuleArn: S.string }, ['RuleArn']),
  SetRulePriorities: S.struct({ RulePriorities: S.list(S.struct({ RuleArn: S.string, Priority: S.integer })) }, ['RulePriorities']),
  AddTags: S.struct({ ResourceArns: strings, Tags: tags }, ['ResourceArns', 'Tags']),
  RemoveTags: S.struct({ ResourceArns: strings, TagKeys: strings }, ['ResourceArns', 'TagKeys']),
  DescribeTags: S.struct({ ResourceArns: strings }, ['ResourceArns']),
} as const satisfies Record<string, Shape>;

export type Elbv2Operation = keyof typeof elbv2Shapes;
