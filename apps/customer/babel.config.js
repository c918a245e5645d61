// Taro needs a Babel config in the app folder; as a project-wide config it also compiles packages/*.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
