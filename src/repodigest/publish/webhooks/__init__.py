"""Chat webhooks: Slack, Feishu/Lark, DingTalk, WeCom. Each service is a module that turns the
day's brief into its own message format (and signature), within its size limit."""
